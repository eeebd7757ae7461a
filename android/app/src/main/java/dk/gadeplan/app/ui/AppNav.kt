// The enrolled app's screens and the ways between them. Arguments are ids and codes only, so
// every screen survives process death and loads what it shows from the store itself. A contact
// always passes the Brøset gate first (M8): "Kontakt" opens the contact screen, which shows the
// current band or offers a new check; a check made there comes back to the contact linked to it.

package dk.gadeplan.app.ui

import android.net.Uri
import androidx.compose.runtime.Composable
import androidx.navigation.NavBackStackEntry
import androidx.navigation.NavHostController
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import dk.gadeplan.app.logic.Route

/**
 * The ways between screens, as functions a screen is given (`at` its own back stack entry). Each
 * acts only while that screen is still the one on top: a second tap on a screen that is already
 * leaving (its exit transition still drawn and touchable) does nothing, so a double tap with
 * gloves neither opens a screen twice nor, on a back arrow, pops the home screen itself and
 * leaves an empty NavHost (a blank app). A save that finishes while the app is in the background
 * still goes back (the screen is on top, only stopped). Back never pops the start destination.
 */
class Go(private val nav: NavHostController, private val entry: NavBackStackEntry? = null) {
    /** The ways from the screen of `entry`. */
    fun at(entry: NavBackStackEntry): Go = Go(nav, entry)

    private fun onTop(): Boolean = entry == null || nav.currentBackStackEntry === entry

    private fun open(route: String) {
        if (onTop()) nav.navigate(route)
    }

    /** This screen replaced by another (after a save that created what the other shows). */
    private fun instead(route: String) {
        if (!onTop()) return
        nav.popBackStack()
        nav.navigate(route)
    }

    fun back() {
        if (onTop() && nav.previousBackStackEntry != null) nav.popBackStack()
    }

    fun person(id: String) = open("person/${enc(id)}")
    fun personInstead(id: String) = instead("person/${enc(id)}")
    fun newPerson(fromUnknown: String? = null) = open("newperson?unknown=${enc(fromUnknown)}")
    fun riskCheck(person: String?, unknown: String?) = open("risk?person=${enc(person)}&unknown=${enc(unknown)}")
    fun contact(person: String?, unknown: String?, check: String? = null) = open(contactRoute(person, unknown, check))
    private fun contactRoute(person: String?, unknown: String?, check: String?) =
        "contact?person=${enc(person)}&unknown=${enc(unknown)}&check=${enc(check)}"

    /** After a Brøset check made at the gate: the contact, linked to it, in place of the check. */
    fun contactAfterCheck(person: String?, unknown: String?, check: String) {
        if (!onTop()) return
        nav.popBackStack()
        if (nav.currentBackStackEntry?.destination?.route?.startsWith("contact") == true) nav.popBackStack()
        nav.navigate(contactRoute(person, unknown, check))
    }

    fun screening(person: String) = open("screening/${enc(person)}")
    fun stage(person: String) = open("stage/${enc(person)}")
    fun questionnaire(person: String, instrument: String, occasion: String?) =
        open("questionnaire/${enc(person)}?instrument=${enc(instrument)}&occasion=${enc(occasion)}")
    fun course(person: String) = open("course/${enc(person)}")
    fun editPerson(person: String) = open("personedit/${enc(person)}")
    fun plan(person: String) = open("plan/${enc(person)}")
    fun network(person: String) = open("network/${enc(person)}")
    fun consents(person: String) = open("consents/${enc(person)}")
    fun treatment(person: String) = open("treatment/${enc(person)}")
    fun correct(entry: String) = open("correct/${enc(entry)}")
    fun checkin(person: String? = null) = open("checkin?person=${enc(person)}")
    fun incident(person: String? = null) = open("incident?person=${enc(person)}")
    fun unknowns() = open("unknowns")
    fun merge(person: String) = open("merge/${enc(person)}")
    fun mergeInstead(person: String) = instead("merge/${enc(person)}")
    fun joinUnknown(unknown: String) = open("joinunknown/${enc(unknown)}")
    fun places() = open("places")
    fun newPlace() = open("newplace")
    fun rounds() = open("rounds")
    fun caseload() = open("caseload")
    fun centreSearch() = open("centresearch")
    fun settings() = open("settings")

    private fun enc(value: String?): String = Uri.encode(value.orEmpty())
}

private fun NavBackStackEntry.arg(name: String): String? = arguments?.getString(name)?.takeIf { it.isNotEmpty() }

@Composable
fun AppNav(main: Route.Main) {
    val nav = rememberNavController()
    val go = androidx.compose.runtime.remember(nav) { Go(nav) }
    val optional = { name: String -> navArgument(name) { defaultValue = "" } }
    NavHost(nav, startDestination = "home") {
        composable("home") { HomeScreen(main, go.at(it)) }
        composable("person/{id}") { PersonScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("newperson?unknown={unknown}", listOf(optional("unknown"))) { NewPersonScreen(it.arg("unknown"), go.at(it)) }
        composable("risk?person={person}&unknown={unknown}", listOf(optional("person"), optional("unknown"))) {
            RiskCheckScreen(it.arg("person"), it.arg("unknown"), go.at(it))
        }
        composable(
            "contact?person={person}&unknown={unknown}&check={check}",
            listOf(optional("person"), optional("unknown"), optional("check")),
        ) { ContactScreen(it.arg("person"), it.arg("unknown"), it.arg("check"), go.at(it)) }
        composable("screening/{id}") { ScreeningScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("stage/{id}") { StageScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("questionnaire/{id}?instrument={instrument}&occasion={occasion}", listOf(optional("instrument"), optional("occasion"))) {
            QuestionnaireScreen(it.arg("id").orEmpty(), it.arg("instrument"), it.arg("occasion"), go.at(it))
        }
        composable("course/{id}") { CourseScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("personedit/{id}") { PersonEditScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("plan/{id}") { PlanScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("network/{id}") { NetworkScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("consents/{id}") { ConsentScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("treatment/{id}") { TreatmentScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("correct/{entry}") { CorrectionScreen(it.arg("entry").orEmpty(), go.at(it)) }
        composable("checkin?person={person}", listOf(optional("person"))) { CheckinScreen(it.arg("person"), go.at(it)) }
        composable("incident?person={person}", listOf(optional("person"))) { IncidentScreen(it.arg("person"), go.at(it)) }
        composable("unknowns") { UnknownCitizensScreen(go.at(it)) }
        composable("merge/{id}") { MergeScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("joinunknown/{id}") { JoinUnknownScreen(it.arg("id").orEmpty(), go.at(it)) }
        composable("places") { PlacesScreen(go.at(it)) }
        composable("newplace") { NewPlaceScreen(go.at(it)) }
        composable("rounds") { RoundsScreen(go.at(it)) }
        composable("caseload") { CaseloadScreen(go.at(it)) }
        composable("centresearch") { CentreSearchScreen(main, go.at(it)) }
        composable("settings") { SettingsScreen(main, go.at(it)) }
    }
}
