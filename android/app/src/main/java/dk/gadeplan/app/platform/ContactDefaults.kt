// The worker's last choices on the contact screen (A31): place kind, contact kind and outcome,
// as the core's codes, so the next contact is a few taps. Kept in private SharedPreferences;
// codes only, nothing about a citizen.

package dk.gadeplan.app.platform

import android.content.Context

class ContactDefaults(context: Context) {
    private val prefs = context.getSharedPreferences("gadeplan-contact", Context.MODE_PRIVATE)

    data class Last(val placeKind: String?, val kind: String?, val outcome: String?)

    fun last(): Last = Last(prefs.getString(PLACE, null), prefs.getString(KIND, null), prefs.getString(OUTCOME, null))

    fun remember(placeKind: String, kind: String, outcome: String) {
        prefs.edit().putString(PLACE, placeKind).putString(KIND, kind).putString(OUTCOME, outcome).apply()
    }

    fun clear() = prefs.edit().clear().apply()

    private companion object {
        const val PLACE = "place-kind"
        const val KIND = "kind"
        const val OUTCOME = "outcome"
    }
}
