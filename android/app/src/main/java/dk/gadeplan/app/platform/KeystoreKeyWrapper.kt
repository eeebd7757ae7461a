// The platform half of the key vault (logic/KeyVault.kt holds the rules: never create on load,
// a version byte, fsync, a typed "lost"): an AES-256-GCM key in the Android Keystore that wraps
// the store's random key (A8–A10). StrongBox where the phone has one (API 28+), the TEE
// otherwise. The key is deliberately NOT bound to user authentication or an unlocked device:
// background sync opens the store while the phone is locked (ADR 0005); the app lock (M2) is a
// UI gate, not a key gate.

package dk.gadeplan.app.platform

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import dk.gadeplan.app.logic.KeyWrapper
import java.security.GeneralSecurityException
import java.security.KeyStore
import java.security.KeyStoreException
import java.security.ProviderException
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

class KeystoreKeyWrapper(private val alias: String = "gadeplan-store-key") : KeyWrapper {
    private fun keyStore(): KeyStore = KeyStore.getInstance(PROVIDER).apply { load(null) }

    override fun exists(): Boolean = keyStore().containsAlias(alias)

    override fun create() {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            try {
                generate(strongBox = true)
                return
            } catch (e: ProviderException) {
                // StrongBoxUnavailableException (a ProviderException): no secure element here.
            } catch (e: GeneralSecurityException) {
                // Some phones refuse the StrongBox spec already at init (an InvalidAlgorithmParameterException).
            }
        }
        generate(strongBox = false)
    }

    private fun generate(strongBox: Boolean) {
        val builder = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
        if (strongBox && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) builder.setIsStrongBoxBacked(true)
        KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER).apply { init(builder.build()) }.generateKey()
    }

    private fun key(): SecretKey =
        keyStore().getKey(alias, null) as? SecretKey ?: throw KeyStoreException("the Keystore has no key '$alias'")

    /** iv (12 bytes, made by the Keystore) + ciphertext with its 128-bit tag. */
    override fun wrap(plain: ByteArray, aad: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key())
        cipher.updateAAD(aad)
        val sealed = cipher.doFinal(plain)
        return cipher.iv + sealed
    }

    /**
     * The store's key. KeyVault takes any failure here for a lost key (the screen that offers a
     * reset), so a failure that may pass is tried once more first: the Keystore daemon can be
     * busy or not yet up just after boot, and StrongBox answers "busy" under load. A bad tag
     * (another key, or a damaged file) is final at once.
     */
    override fun unwrap(blob: ByteArray, aad: ByteArray): ByteArray = try {
        unwrapOnce(blob, aad)
    } catch (e: AEADBadTagException) {
        throw e
    } catch (e: GeneralSecurityException) {
        Thread.sleep(RETRY_MILLIS)
        unwrapOnce(blob, aad)
    } catch (e: ProviderException) {
        Thread.sleep(RETRY_MILLIS)
        unwrapOnce(blob, aad)
    }

    private fun unwrapOnce(blob: ByteArray, aad: ByteArray): ByteArray {
        if (blob.size <= IV_BYTES + TAG_BYTES) throw KeyStoreException("the wrapped key is truncated (${blob.size} bytes)")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key(), GCMParameterSpec(TAG_BYTES * 8, blob, 0, IV_BYTES))
        cipher.updateAAD(aad)
        return cipher.doFinal(blob, IV_BYTES, blob.size - IV_BYTES)
    }

    override fun delete() {
        val store = keyStore()
        if (store.containsAlias(alias)) store.deleteEntry(alias)
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BYTES = 16
        const val RETRY_MILLIS = 500L
    }
}
