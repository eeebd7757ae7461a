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

/** The ways between screens, as functions a screen is given. */
class Go(private val nav: NavHostController) {
    fun back() {
        nav.popBackStack()
    }

    fun person(id: String) = nav.navigate("person/${enc(id)}")
    fun newPerson(fromUnknown: String? = null) = nav.navigate("newperson?unknown=${enc(fromUnknown)}")
    fun riskCheck(person: String?, unknown: String?) = nav.navigate("risk?person=${enc(person)}&unknown=${enc(unknown)}")
    fun contact(person: String?, unknown: String?, check: String? = null) =
        nav.navigate("contact?person=${enc(person)}&unknown=${enc(unknown)}&check=${enc(check)}")

    /** After a Brøset check made at the gate: the contact, linked to it, in place of the check. */
    fun contactAfterCheck(person: String?, unknown: String?, check: String) {
        nav.popBackStack()
        if (nav.currentBackStackEntry?.destination?.route?.startsWith("contact") == true) nav.popBackStack()
        contact(person, unknown, check)
    }

    fun screening(person: String) = nav.navigate("screening/${enc(person)}")
    fun stage(person: String) = nav.navigate("stage/${enc(person)}")
    fun questionnaire(person: String, instrument: String, occasion: String?) =
        nav.navigate("questionnaire/${enc(person)}?instrument=${enc(instrument)}&occasion=${enc(occasion)}")
    fun course(person: String) = nav.navigate("course/${enc(person)}")
    fun editPerson(person: String) = nav.navigate("personedit/${enc(person)}")
    fun plan(person: String) = nav.navigate("plan/${enc(person)}")
    fun network(person: String) = nav.navigate("network/${enc(person)}")
    fun consents(person: String) = nav.navigate("consents/${enc(person)}")
    fun treatment(person: String) = nav.navigate("treatment/${enc(person)}")
    fun correct(entry: String) = nav.navigate("correct/${enc(entry)}")
    fun checkin(person: String? = null) = nav.navigate("checkin?person=${enc(person)}")
    fun incident(person: String? = null) = nav.navigate("incident?person=${enc(person)}")
    fun unknowns() = nav.navigate("unknowns")
    fun merge(person: String) = nav.navigate("merge/${enc(person)}")
    fun places() = nav.navigate("places")
    fun newPlace() = nav.navigate("newplace")
    fun rounds() = nav.navigate("rounds")
    fun caseload() = nav.navigate("caseload")
    fun centreSearch() = nav.navigate("centresearch")
    fun settings() = nav.navigate("settings")

    private fun enc(value: String?): String = Uri.encode(value.orEmpty())
}

private fun NavBackStackEntry.arg(name: String): String? = arguments?.getString(name)?.takeIf { it.isNotEmpty() }

@Composable
fun AppNav(main: Route.Main) {
    val nav = rememberNavController()
    val go = androidx.compose.runtime.remember(nav) { Go(nav) }
    val optional = { name: String -> navArgument(name) { defaultValue = "" } }
    NavHost(nav, startDestination = "home") {
        composable("home") { HomeScreen(main, go) }
        composable("person/{id}") { PersonScreen(it.arg("id").orEmpty(), go) }
        composable("newperson?unknown={unknown}", listOf(optional("unknown"))) { NewPersonScreen(it.arg("unknown"), go) }
        composable("risk?person={person}&unknown={unknown}", listOf(optional("person"), optional("unknown"))) {
            RiskCheckScreen(it.arg("person"), it.arg("unknown"), go)
        }
        composable(
            "contact?person={person}&unknown={unknown}&check={check}",
            listOf(optional("person"), optional("unknown"), optional("check")),
        ) { ContactScreen(it.arg("person"), it.arg("unknown"), it.arg("check"), go) }
        composable("screening/{id}") { ScreeningScreen(it.arg("id").orEmpty(), go) }
        composable("stage/{id}") { StageScreen(it.arg("id").orEmpty(), go) }
        composable("questionnaire/{id}?instrument={instrument}&occasion={occasion}", listOf(optional("instrument"), optional("occasion"))) {
            QuestionnaireScreen(it.arg("id").orEmpty(), it.arg("instrument"), it.arg("occasion"), go)
        }
        composable("course/{id}") { CourseScreen(it.arg("id").orEmpty(), go) }
        composable("personedit/{id}") { PersonEditScreen(it.arg("id").orEmpty(), go) }
        composable("plan/{id}") { PlanScreen(it.arg("id").orEmpty(), go) }
        composable("network/{id}") { NetworkScreen(it.arg("id").orEmpty(), go) }
        composable("consents/{id}") { ConsentScreen(it.arg("id").orEmpty(), go) }
        composable("treatment/{id}") { TreatmentScreen(it.arg("id").orEmpty(), go) }
        composable("correct/{entry}") { CorrectionScreen(it.arg("entry").orEmpty(), go) }
        composable("checkin?person={person}", listOf(optional("person"))) { CheckinScreen(it.arg("person"), go) }
        composable("incident?person={person}", listOf(optional("person"))) { IncidentScreen(it.arg("person"), go) }
        composable("unknowns") { UnknownCitizensScreen(go) }
        composable("merge/{id}") { MergeScreen(it.arg("id").orEmpty(), go) }
        composable("places") { PlacesScreen(go) }
        composable("newplace") { NewPlaceScreen(go) }
        composable("rounds") { RoundsScreen(go) }
        composable("caseload") { CaseloadScreen(go) }
        composable("centresearch") { CentreSearchScreen(main, go) }
        composable("settings") { SettingsScreen(main, go) }
    }
}
