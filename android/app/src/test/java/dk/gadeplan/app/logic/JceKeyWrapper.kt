// The tests' KeyWrapper: an AES-256-GCM key held in memory with the JDK's JCE, standing in for the
// Android Keystore. Several vaults share one wrapper as processes share the Keystore; delete()
// is the Keystore entry lost (a restore onto another phone, a reset lock screen), and a failing
// wrapper is a Keystore that does not answer.

package dk.gadeplan.app.logic

import java.security.GeneralSecurityException
import java.security.KeyStoreException
import java.security.SecureRandom
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

class JceKeyWrapper : KeyWrapper {
    @Volatile
    private var key: SecretKey? = null

    /** When set, every call fails as a Keystore that does not answer. */
    @Volatile
    var failing = false

    override fun exists(): Boolean {
        answer()
        return key != null
    }

    override fun create() {
        answer()
        key = KeyGenerator.getInstance("AES").apply { init(256) }.generateKey()
    }

    override fun wrap(plain: ByteArray, aad: ByteArray): ByteArray {
        answer()
        val iv = ByteArray(IV_BYTES).also { SecureRandom().nextBytes(it) }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key ?: throw GeneralSecurityException("no wrapping key"), GCMParameterSpec(TAG_BITS, iv))
        cipher.updateAAD(aad)
        return iv + cipher.doFinal(plain)
    }

    override fun unwrap(blob: ByteArray, aad: ByteArray): ByteArray {
        answer()
        if (blob.size < IV_BYTES) throw GeneralSecurityException("the blob is too short")
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key ?: throw GeneralSecurityException("no wrapping key"), GCMParameterSpec(TAG_BITS, blob, 0, IV_BYTES))
        cipher.updateAAD(aad)
        return cipher.doFinal(blob, IV_BYTES, blob.size - IV_BYTES)
    }

    override fun delete() {
        answer()
        key = null
    }

    private fun answer() {
        if (failing) throw KeyStoreException("the key store did not answer")
    }

    private companion object {
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}
