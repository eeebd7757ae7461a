// The store's key: 32 random bytes, made once, kept on disk only encrypted by an AES-256-GCM key
// that lives in the Android Keystore (hardware-backed where the phone has it) and never leaves it.
// A copy of the app's files without the Keystore opens nothing.

package dk.gadeplan.app

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.io.File
import java.security.KeyStore
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

object KeyVault {
    private const val KEYSTORE = "AndroidKeyStore"
    private const val ALIAS = "gadeplan-store-key-wrap"
    private const val IV_BYTES = 12
    private const val TAG_BITS = 128

    /** The raw 256-bit key of the store, unwrapped for this process. */
    fun storeKey(context: Context): ByteArray {
        val file = File(context.noBackupFilesDir, "store.key.enc")
        if (file.exists()) {
            val blob = file.readBytes()
            val cipher = Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(TAG_BITS, blob, 0, IV_BYTES))
            return cipher.doFinal(blob, IV_BYTES, blob.size - IV_BYTES)
        }
        val key = ByteArray(32).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey())
        val tmp = File(file.path + ".tmp")
        tmp.writeBytes(cipher.iv + cipher.doFinal(key))
        check(tmp.renameTo(file)) { "could not store the wrapped key" }
        return key
    }

    private fun wrappingKey(): SecretKey {
        val keyStore = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        (keyStore.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                // Not bound to an unlocked screen: sync runs in the background while the phone
                // sits locked in a pocket.
                .build(),
        )
        return generator.generateKey()
    }
}
