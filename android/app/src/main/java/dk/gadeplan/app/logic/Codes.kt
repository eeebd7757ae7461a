// The core's enums found by their vocabulary code (A27; audit P8): an enum value is matched by
// its name against the label's code, both reduced to letters and digits (`NOT_APPROACHED_RISK` ~
// `not-approached-risk`, `SECTION101` ~ `section-101`), never by position, so a reordering in the
// core cannot record the wrong item, and an unknown code is skipped instead of crashing. Plain
// Kotlin, so that a JVM test can check every code of the core's definitions against its enum
// (LogicTest); ui/Words.kt calls it.

package dk.gadeplan.app.logic

object Codes {
    fun normal(text: String): String = text.filter { it.isLetterOrDigit() }.uppercase()

    /** The enum value a code names, or null. */
    inline fun <reified E : Enum<E>> enumOf(code: String?): E? =
        code?.let { c -> enumValues<E>().firstOrNull { normal(it.name) == normal(c) } }
}
