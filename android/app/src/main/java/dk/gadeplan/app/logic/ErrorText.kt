// What went wrong, in the worker's language (review findings A34, A18; I27). The core's errors
// are worded by the core (errorText: Danish or English, the same words on Android and iOS); this
// file adds the few the core cannot know, in the project's own words: the problem codes the
// phone's transport puts first in an Unreachable's detail ("tls: …"), and failures of the
// platform itself (the network stack, the key store, the files). The screens, the notifications
// and the sync banner take their text from here and never show an exception's English message.

package dk.gadeplan.app.logic

import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.Language
import dk.gadeplan.core.TransportException
import dk.gadeplan.core.errorText
import java.io.IOException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.SocketException
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.net.UnknownServiceException
import java.security.GeneralSecurityException
import javax.net.ssl.SSLException

/** The error in the worker's language: the core's words for its own errors, ours for the rest. */
fun describe(error: Throwable, language: Language): String = when (error) {
    // The transport's problem codes ride in Unreachable's detail, and the core knows them not:
    // a problem other than no connection is said in our words; no connection in the core's.
    is GadeplanException.Unreachable ->
        ProblemCodes.named(error.message ?: "")?.takeIf { it != SyncProblem.OFFLINE }?.let { problemText(it, language) }
            ?: errorText(error.javaClass.simpleName, error.message ?: "", language)
    is GadeplanException -> errorText(error.javaClass.simpleName, error.message ?: "", language)
    is TransportException.Unreachable -> problemText(ProblemCodes.problemOf(error.detail), language)
    is UnknownHostException -> problemText(SyncProblem.HOST_NOT_FOUND, language)
    is SocketTimeoutException -> problemText(SyncProblem.TIMEOUT, language)
    is SSLException -> problemText(SyncProblem.TLS, language)
    is UnknownServiceException -> problemText(SyncProblem.HTTP_NOT_ALLOWED, language)
    is ConnectException, is NoRouteToHostException, is SocketException -> problemText(SyncProblem.OFFLINE, language)
    is IOException -> words(
        language,
        "En fil på telefonen kunne ikke læses eller skrives (${error.javaClass.simpleName}). Prøv igen.",
        "A file on the phone could not be read or written (${error.javaClass.simpleName}). Try again.",
    )
    is GeneralSecurityException -> words(
        language,
        "Telefonens nøglelager svarede ikke (${error.javaClass.simpleName}). Prøv igen, eller genstart telefonen.",
        "The phone's key store did not answer (${error.javaClass.simpleName}). Try again, or restart the phone.",
    )
    else -> words(
        language,
        "Noget gik galt i appen (${error.javaClass.simpleName}). Prøv igen.",
        "Something went wrong in the app (${error.javaClass.simpleName}). Try again.",
    )
}

/** What a sync problem means for the worker, short enough for a banner or a notification. */
fun problemText(problem: SyncProblem, language: Language): String = when (problem) {
    SyncProblem.OFFLINE -> words(
        language,
        "Ingen forbindelse til centret – optegnelser gemmes på telefonen",
        "No connection to the centre – records are kept on the phone",
    )
    SyncProblem.HOST_NOT_FOUND -> words(
        language,
        "Centrets adresse blev ikke fundet – tjek forbindelsen og adressen",
        "The centre's address was not found – check the connection and the address",
    )
    SyncProblem.TIMEOUT -> words(
        language,
        "Centret svarede ikke i tide – prøver igen senere",
        "The centre did not answer in time – trying again later",
    )
    SyncProblem.TLS -> words(
        language,
        "Den sikre forbindelse til centret kunne ikke godkendes (certifikat) – kontakt jeres administrator",
        "The secure connection to the centre could not be verified (certificate) – contact your administrator",
    )
    SyncProblem.HTTP_NOT_ALLOWED -> words(
        language,
        "Centrets adresse skal begynde med https:// – telefonen sender ikke data ukrypteret",
        "The centre's address must start with https:// – the phone does not send data unencrypted",
    )
    SyncProblem.CENTRE_REFUSED -> words(
        language,
        "Centret afviste telefonen – kontakt jeres administrator",
        "The centre refused the phone – contact your administrator",
    )
    SyncProblem.REVOKED -> words(
        language,
        "Telefonen er tilbagekaldt af centret; data er slettet",
        "The phone was revoked by the centre; its data has been erased",
    )
    SyncProblem.STORE_TOO_NEW -> words(
        language,
        "Data på telefonen er fra en nyere version af appen – opdater appen",
        "The data on the phone is from a newer version of the app – update the app",
    )
    SyncProblem.STORAGE -> words(
        language,
        "Telefonens lager gav en fejl – prøv igen, eller frigør plads",
        "The phone's storage failed – try again, or free some space",
    )
    SyncProblem.NOT_ENROLLED -> words(
        language,
        "Ikke tilmeldt et center – data sendes ikke",
        "Not enrolled at a centre – nothing is sent",
    )
    SyncProblem.KEY_LOST -> words(
        language,
        "Telefonen kan ikke længere åbne sine data – nulstil og tilmeld igen",
        "The phone can no longer open its data – reset it and enrol again",
    )
}

/**
 * The problem codes a transport puts first in an Unreachable's detail (A18), e.g.
 * "tls: SSLHandshakeException: …"; the core passes the detail on inside its own message ("the
 * centre could not be reached: tls: …").
 */
object ProblemCodes {
    const val OFFLINE = "offline"
    const val HOST_NOT_FOUND = "host-not-found"
    const val TIMEOUT = "timeout"
    const val TLS = "tls"
    const val HTTP_NOT_ALLOWED = "http-not-allowed"

    private val codes = mapOf(
        OFFLINE to SyncProblem.OFFLINE,
        HOST_NOT_FOUND to SyncProblem.HOST_NOT_FOUND,
        TIMEOUT to SyncProblem.TIMEOUT,
        TLS to SyncProblem.TLS,
        HTTP_NOT_ALLOWED to SyncProblem.HTTP_NOT_ALLOWED,
    )
    private val pattern = Regex("""(?:^|: )(${codes.keys.joinToString("|") { Regex.escape(it) }}): """)

    /** The problem a detail or message names, or null when it names none. */
    fun named(message: String): SyncProblem? = pattern.find(message)?.groupValues?.get(1)?.let(codes::get)

    /** The problem a detail or message names; OFFLINE when it names none (a connection lost). */
    fun problemOf(message: String): SyncProblem = named(message) ?: SyncProblem.OFFLINE
}

internal fun words(language: Language, da: String, en: String): String = when (language) {
    Language.DANISH -> da
    Language.ENGLISH -> en
}
