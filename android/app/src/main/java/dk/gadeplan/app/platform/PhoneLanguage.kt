// The language the core's labels are shown in: the core decides from the phone's preferred
// languages (labelLanguage: Danish for a Danish phone, or one that says nothing either way).
// Read afresh each time so a change of the phone's languages shows on the next screen.

package dk.gadeplan.app.platform

import android.os.LocaleList
import dk.gadeplan.core.Language
import dk.gadeplan.core.labelLanguage

fun phoneLanguage(): Language {
    val tags = LocaleList.getDefault().toLanguageTags().split(',').filter { it.isNotBlank() }
    return try {
        labelLanguage(tags)
    } catch (e: Throwable) {
        Language.DANISH
    }
}
