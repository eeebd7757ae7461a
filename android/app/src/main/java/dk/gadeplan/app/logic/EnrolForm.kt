// The enrolment form's checks (review findings A20, A18, M1): the centre's address a worker types
// or a link scanned from the centre's QR code. Only https:// is accepted, because the phone sends
// personal data; plain http:// only to this machine (loopback) or to the Android emulator's host
// (10.0.2.2), for development. The words are the project's own; the link itself is read by the
// core (parseEnrolLink), as on iOS.

package dk.gadeplan.app.logic

import dk.gadeplan.core.EnrolLink
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.Language
import dk.gadeplan.core.parseEnrolLink
import java.net.URI
import java.net.URISyntaxException

/** Hosts plain http:// may go to: this machine, and the emulator's view of its host. */
private val developmentHosts = setOf("localhost", "127.0.0.1", "::1", "[::1]", "10.0.2.2")

/** What is wrong with the centre's address `text`, in `language`; null when it is fine. */
fun checkCentreAddress(text: String, language: Language): String? {
    val address = text.trim()
    if (address.isEmpty()) {
        return words(language, "Skriv centrets adresse, fx https://center.example.dk", "Type the centre's address, e.g. https://centre.example.dk")
    }
    val uri = try {
        URI(address)
    } catch (e: URISyntaxException) {
        return words(language, "Adressen er ikke en gyldig webadresse", "The address is not a valid web address")
    }
    val scheme = uri.scheme?.lowercase()
    val host = uri.host?.lowercase()
    if (scheme == null || host == null || uri.isOpaque) {
        return words(language, "Adressen skal være fuld, fx https://center.example.dk", "The address must be complete, e.g. https://centre.example.dk")
    }
    if (uri.userInfo != null || uri.rawQuery != null || uri.rawFragment != null) {
        return words(language, "Adressen må kun være centrets adresse, uden ? eller #", "The address must be the centre's address only, without ? or #")
    }
    return when (scheme) {
        "https" -> null
        "http" -> if (host in developmentHosts) {
            null
        } else {
            words(
                language,
                "Adressen skal begynde med https:// – telefonen sender ikke data ukrypteret",
                "The address must start with https:// – the phone does not send data unencrypted",
            )
        }
        else -> words(language, "Adressen skal begynde med https://", "The address must start with https://")
    }
}

/** The centre and code in a scanned or opened link (gadeplan://enrol?centre=…&code=…), read by
 *  the core; null when the text is not such a link. */
fun enrolLinkFrom(text: String): EnrolLink? = try {
    parseEnrolLink(text.trim())
} catch (e: GadeplanException) {
    null
}
