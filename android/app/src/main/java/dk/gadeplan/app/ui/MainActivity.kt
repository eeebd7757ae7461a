// The one activity: a navigation host over the screens. Without a store (first start) it opens
// on enrolment; otherwise on the persons list.

package dk.gadeplan.app.ui

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.material3.MaterialTheme
import androidx.navigation.NavType
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import androidx.navigation.navArgument
import dk.gadeplan.app.GadeplanApp

class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as GadeplanApp
        setContent {
            MaterialTheme {
                val nav = rememberNavController()
                NavHost(nav, startDestination = if (app.store() == null) "enrol" else "persons") {
                    composable("enrol") {
                        // Opened from the enrolment link's QR code, the link comes with the intent.
                        val link = intent?.data?.takeIf { it.scheme == "gadeplan" }?.toString()
                        EnrolScreen(app, link) { nav.navigate("persons") { popUpTo("enrol") { inclusive = true } } }
                    }
                    composable("persons") {
                        PersonsScreen(
                            app,
                            open = { nav.navigate("person/$it") },
                            riskCheck = { nav.navigate("risk?person=${it ?: ""}") },
                            checkin = { nav.navigate("checkin?person=") },
                        )
                    }
                    composable("checkin?person={person}", listOf(navArgument("person") { defaultValue = "" })) { entry ->
                        CheckinScreen(app, entry.arguments!!.getString("person").orEmpty().ifEmpty { null }) { nav.popBackStack() }
                    }
                    composable("person/{id}", listOf(navArgument("id") { type = NavType.StringType })) { entry ->
                        val id = entry.arguments!!.getString("id")!!
                        TimelineScreen(
                            app, id,
                            riskCheck = { nav.navigate("risk?person=$id") },
                            contact = { nav.navigate("contact?person=$id&check=") },
                            screening = { nav.navigate("screen/$id") },
                        )
                    }
                    composable("risk?person={person}", listOf(navArgument("person") { defaultValue = "" })) { entry ->
                        val person = entry.arguments!!.getString("person").orEmpty()
                        RiskCheckScreen(app, person.ifEmpty { null }) { check, subject ->
                            nav.navigate("contact?person=$subject&check=$check") { popUpTo("persons") }
                        }
                    }
                    composable(
                        "contact?person={person}&check={check}",
                        listOf(navArgument("person") { defaultValue = "" }, navArgument("check") { defaultValue = "" }),
                    ) { entry ->
                        val args = entry.arguments!!
                        ContactScreen(app, args.getString("person").orEmpty(), args.getString("check").orEmpty().ifEmpty { null }) {
                            nav.popBackStack("persons", inclusive = false)
                        }
                    }
                    composable("screen/{id}", listOf(navArgument("id") { type = NavType.StringType })) { entry ->
                        ScreeningScreen(app, entry.arguments!!.getString("id")!!) { nav.popBackStack() }
                    }
                }
            }
        }
    }
}
