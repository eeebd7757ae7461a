// Pieces every screen uses, sized for cold hands and gloves (M11: 56–64 dp targets) and for
// TalkBack: the screen frame (a Scaffold that keeps content clear of the status bar, the cutout
// and the keyboard: A7), choice chips for a vocabulary, a toggle whose whole row is the target
// (A28), the big primary button, the error line (announced), the risk badge (colour, icon and
// words, not clickable: A29), and how a loading/failed/ready state is drawn.

package dk.gadeplan.app.ui

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.WindowInsets
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawing
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.width
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.ArrowBack
import androidx.compose.material.icons.filled.CheckCircle
import androidx.compose.material.icons.filled.Info
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.FilterChip
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Surface
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.ui.unit.dp
import dk.gadeplan.core.Label
import dk.gadeplan.core.RiskBand

/** A screen: title bar (with back), content padded clear of the system bars and the keyboard. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun Screen(
    title: String,
    onBack: (() -> Unit)? = null,
    actions: @Composable () -> Unit = {},
    bottomBar: @Composable () -> Unit = {},
    content: @Composable (PaddingValues) -> Unit,
) {
    Scaffold(
        topBar = {
            TopAppBar(
                // One line, cut with an ellipsis: the bar's height is fixed, so a second line at a large font size would be clipped.
                title = { Text(title, maxLines = 1, overflow = TextOverflow.Ellipsis, modifier = Modifier.semantics { heading() }) },
                navigationIcon = {
                    if (onBack != null) {
                        IconButton(onClick = onBack, modifier = Modifier.size(56.dp)) {
                            Icon(Icons.Filled.ArrowBack, contentDescription = ui("Tilbage", "Back"))
                        }
                    }
                },
                actions = { actions() },
            )
        },
        bottomBar = bottomBar,
        // The system bars, the display cutout (landscape on Android 15, edge to edge) and, with no
        // bottom bar, the keyboard; the default (system bars only) let content run under a cutout.
        contentWindowInsets = WindowInsets.safeDrawing,
    ) { inner ->
        Box(Modifier.fillMaxSize().padding(inner).consumeWindowInsets(inner).imePadding()) {
            content(PaddingValues(16.dp))
        }
    }
}

/** A scrolling form inside a Screen. */
@Composable
fun Form(content: @Composable ColumnScope.() -> Unit) {
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(8.dp),
        content = content,
    )
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun Choices(labels: List<Label>, selected: String?, onSelect: (String) -> Unit) {
    FlowRow(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.spacedBy(6.dp)) {
        labels.forEach { label ->
            FilterChip(
                selected = label.code == selected,
                onClick = { onSelect(label.code) },
                label = { Text(label.text(), modifier = Modifier.padding(vertical = 8.dp)) },
                modifier = Modifier.heightIn(min = 56.dp),
            )
        }
    }
}

/** A toggle big enough for cold hands and gloves: the whole row toggles, and TalkBack reads its name (A28). */
@Composable
fun BigToggle(title: String, detail: String?, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = 72.dp)
            .toggleable(value = checked, role = Role.Switch, onValueChange = onChange)
            .padding(vertical = 4.dp),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Column(Modifier.weight(1f)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            if (detail != null) Text(detail, style = MaterialTheme.typography.bodySmall)
        }
        Switch(checked = checked, onCheckedChange = null)
    }
}

/** The main action of a screen: full width, 64 dp, disabled while saving (A26). */
@Composable
fun BigButton(text: String, enabled: Boolean = true, saving: Boolean = false, onClick: () -> Unit) {
    Button(
        onClick = onClick,
        enabled = enabled && !saving,
        modifier = Modifier.fillMaxWidth().heightIn(min = 64.dp),
    ) {
        if (saving) {
            CircularProgressIndicator(Modifier.size(24.dp), strokeWidth = 2.dp)
            Spacer(Modifier.width(12.dp))
        }
        Text(text, style = MaterialTheme.typography.titleMedium)
    }
}

@Composable
fun SecondButton(text: String, enabled: Boolean = true, onClick: () -> Unit) {
    OutlinedButton(onClick = onClick, enabled = enabled, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
        Text(text)
    }
}

/** An error, announced by TalkBack when it appears. */
@Composable
fun ErrorLine(message: String?) {
    if (message != null) {
        Text(
            message,
            color = MaterialTheme.colorScheme.error,
            modifier = Modifier.padding(vertical = 8.dp).semantics { liveRegion = LiveRegionMode.Assertive },
        )
    }
}

fun bandIcon(band: RiskBand): ImageVector = when (band) {
    RiskBand.LOW -> Icons.Filled.CheckCircle
    RiskBand.MODERATE -> Icons.Filled.Info
    RiskBand.HIGH -> Icons.Filled.Warning
}

fun bandText(band: RiskBand): String =
    Words.instruments.broset.bands.firstOrNull { it.band == band }?.label?.text() ?: band.name.lowercase()

/** The current risk band: colour, icon and words; not a button (A29). */
@Composable
fun RiskBadge(band: RiskBand, modifier: Modifier = Modifier) {
    val (background, foreground) = bandColours(band)
    val words = bandText(band)
    // clearAndSetSemantics: one announcement of the words (merging kept the Text's words beside the description).
    Surface(color = background, contentColor = foreground, shape = MaterialTheme.shapes.small, modifier = modifier.clearAndSetSemantics { contentDescription = words }) {
        Row(Modifier.padding(horizontal = 8.dp, vertical = 4.dp), verticalAlignment = Alignment.CenterVertically) {
            Icon(bandIcon(band), contentDescription = null, modifier = Modifier.size(18.dp))
            Spacer(Modifier.width(4.dp))
            Text(words, style = MaterialTheme.typography.labelLarge)
        }
    }
}

/** A spinner, an error with "try again", or the content. */
@Composable
fun <T> Loaded(state: Load<T>, retry: () -> Unit, content: @Composable (T) -> Unit) {
    when (state) {
        is Load.Loading -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
            CircularProgressIndicator(Modifier.semantics { contentDescription = ui("Henter", "Loading") })
        }
        is Load.Failed -> Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            ErrorLine(state.message)
            SecondButton(ui("Prøv igen", "Try again"), onClick = retry)
        }
        is Load.Ready -> content(state.value)
    }
}

/** A section title inside a screen. */
@Composable
fun Section(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 12.dp).semantics { heading() })
}

/**
 * This phone's own entries about a person that the centre has not yet (PersonSummary.notSent,
 * M7): words and an icon, not colour alone; nothing when all is sent.
 */
@Composable
fun NotSentMark(notSent: UInt) {
    if (notSent == 0u) return
    val words = if (notSent == 1u) ui("1 optegnelse ikke sendt", "1 record not sent") else ui("$notSent optegnelser ikke sendt", "$notSent records not sent")
    Row(Modifier.clearAndSetSemantics { contentDescription = words }, verticalAlignment = Alignment.CenterVertically) {
        Icon(Icons.Filled.Info, contentDescription = null, tint = MaterialTheme.colorScheme.secondary, modifier = Modifier.size(16.dp))
        Spacer(Modifier.width(4.dp))
        Text(words, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.secondary)
    }
}

/** A text field the width of the screen, with its label; numbers get the phone keypad. */
@Composable
fun Field(value: String, onChange: (String) -> Unit, label: String, lines: Int = 1, phone: Boolean = false, number: Boolean = false) {
    androidx.compose.material3.OutlinedTextField(
        value,
        onChange,
        label = { Text(label) },
        singleLine = lines == 1,
        minLines = lines,
        keyboardOptions = androidx.compose.foundation.text.KeyboardOptions(
            keyboardType = when {
                phone -> androidx.compose.ui.text.input.KeyboardType.Phone
                number -> androidx.compose.ui.text.input.KeyboardType.Number
                else -> androidx.compose.ui.text.input.KeyboardType.Text
            },
        ),
        modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp),
    )
}

/**
 * The phone's dialler with `number` filled in (ACTION_DIAL: no permission, the worker presses
 * call). `tel:` built with Uri.fromParts, which encodes the number once (a "+45 …" stays one).
 * False where nothing dials (a tablet, a work profile without a dialler): the number stays on
 * the screen to read.
 */
fun dial(context: Context, number: String): Boolean = try {
    context.startActivity(Intent(Intent.ACTION_DIAL, Uri.fromParts("tel", number, null)))
    true
} catch (e: ActivityNotFoundException) {
    false
}

/** Text as the core takes it: trimmed, and null when empty. */
fun String.orNull(): String? = trim().ifEmpty { null }

/** A dialog's buttons at the same 56 dp as the rest, for gloves. */
val DialogButton: Modifier = Modifier.heightIn(min = 56.dp)
