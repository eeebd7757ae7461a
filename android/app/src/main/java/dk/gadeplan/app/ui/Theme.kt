// The app's colours: Material 3, light by day and dark when the phone is (M11: night work), and
// the risk band colours, which never rely on colour alone (each band has its icon and words).

package dk.gadeplan.app.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import dk.gadeplan.core.RiskBand

@Composable
fun GadeplanTheme(content: @Composable () -> Unit) {
    val dark = isSystemInDarkTheme()
    val colours = if (dark) {
        darkColorScheme(primary = Color(0xFF8FCBFF), secondary = Color(0xFFB9C8DA), error = Color(0xFFFFB4AB))
    } else {
        lightColorScheme(primary = Color(0xFF00629D), secondary = Color(0xFF526070), error = Color(0xFFBA1A1A))
    }
    MaterialTheme(colorScheme = colours, content = content)
}

/** Background and text colour of a band's badge, readable in both themes. */
fun bandColours(band: RiskBand): Pair<Color, Color> = when (band) {
    RiskBand.LOW -> Color(0xFF1B6E2C) to Color.White
    RiskBand.MODERATE -> Color(0xFFF2B705) to Color.Black
    RiskBand.HIGH -> Color(0xFFB3261E) to Color.White
}
