// Small pieces every screen uses: a row of choice chips for a vocabulary, a large toggle, and
// the error line that shows the core's own message.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import dk.gadeplan.core.Label

@OptIn(ExperimentalLayoutApi::class)
@Composable
fun Choices(labels: List<Label>, selected: String?, onSelect: (String) -> Unit) {
    FlowRow(Modifier.fillMaxWidth()) {
        labels.forEach { label ->
            FilterChip(
                selected = label.code == selected,
                onClick = { onSelect(label.code) },
                label = { Text(Labels.text(label)) },
                modifier = Modifier.padding(end = 6.dp),
            )
        }
    }
}

/** A toggle big enough for cold hands and gloves. */
@Composable
fun BigToggle(title: String, detail: String?, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(Modifier.fillMaxWidth().heightIn(min = 64.dp).padding(vertical = 4.dp), verticalAlignment = Alignment.CenterVertically) {
        androidx.compose.foundation.layout.Column(Modifier.weight(1f)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            if (detail != null) Text(detail, style = MaterialTheme.typography.bodySmall)
        }
        Switch(checked = checked, onCheckedChange = onChange)
    }
}

@Composable
fun ErrorLine(message: String?) {
    if (message != null) Text(message, color = MaterialTheme.colorScheme.error, modifier = Modifier.padding(vertical = 8.dp))
}
