// What every recording screen of the person's course shares (review findings I16, I22, I25, M11):
// - `Saver`, the screen's view model for a record: one Save at a time (the guard), the record
//   made through `AppModel.write` (off the main thread, a sync after), the core's error in the
//   worker's words, the core's warnings shown (`recordWarnings`) before the screen moves on;
// - `CodePicker`: the core's labels, the chosen code kept (so a draft holds codes, not positions);
// - `SaveBar`: the screen's primary action at the bottom, 60 pt, disabled while saving;
// - `ErrorSection`, and `openCourse`, the course a record of the person's course belongs to;
// - `ModeSection`: a screen's segmented choice of what it records (consent or disclosure, …).

import GadeplanCore
import GadeplanKit
import SwiftUI

@MainActor
final class Saver: ObservableObject {
    @Published private(set) var saving = false
    @Published var error: String?
    /// The core's warnings with the last record, shown before `done` runs.
    @Published private(set) var warnings: String?
    private var pending: (() -> Void)?

    /// Records once (a second tap while saving does nothing); `done` after a good record, or
    /// after the worker has read the core's warnings (`recordWarnings`).
    func save(_ model: AppModel, _ work: @escaping (Store) throws -> Recorded, done: @escaping () -> Void = {}) {
        guard !saving, warnings == nil else { return }
        saving = true
        error = nil
        Task { @MainActor in
            do {
                let recorded = try await model.write(work)
                saving = false
                if let text = warningText(recorded.warnings) {
                    pending = done
                    warnings = text
                } else {
                    done()
                }
            } catch {
                self.error = L.error(error)
                saving = false
            }
        }
    }

    /// The warnings read: on to where the record leads.
    func acknowledgeWarnings() {
        let next = pending
        pending = nil
        warnings = nil
        next?()
    }

    /// A new entry of any kind, by the core's `record`.
    func record(_ model: AppModel, _ entry: NewEntry, done: @escaping () -> Void = {}) {
        save(model, { try $0.record(input: entry) }, done: done)
    }
}

extension View {
    /// The core's warnings with a record ("Gemt – vær opmærksom"), before the screen moves on.
    @MainActor func recordWarnings(_ saver: Saver) -> some View {
        alert(L.ui("Gemt – vær opmærksom", "Saved – take note"),
              isPresented: Binding(get: { saver.warnings != nil }, set: { if !$0 { saver.acknowledgeWarnings() } })) {
            Button(L.ui("Forstået", "Understood")) { saver.acknowledgeWarnings() }
        } message: {
            Text(saver.warnings ?? "")
        }
    }
}

/// A picker over the core's labels that keeps the chosen code; "–" when `optional`.
struct CodePicker: View {
    let title: String
    let labels: [GadeplanCore.Label]
    @Binding var code: String
    var optional = false

    var body: some View {
        Picker(title, selection: $code) {
            if optional || code.isEmpty { Text("–").tag("") }
            ForEach(labels, id: \.code) { Text(L.text($0)).tag($0.code) }
        }
        .pickerStyle(.navigationLink)
        .frame(minHeight: 44)
    }
}

/// The screen's Save: full width, 60 pt, at the bottom, off while saving or not ready.
struct SaveBar: View {
    let title: String
    let ready: Bool
    let saving: Bool
    let action: () -> Void

    var body: some View {
        Button(action: action) {
            HStack {
                if saving { ProgressView().tint(.white) }
                Text(title)
            }
        }
        .buttonStyle(BigButtonStyle())
        .disabled(!ready || saving)
        .padding()
        .background(.bar)
    }
}

/// A screen's segmented choice between what it records, by tag, 44 pt high in its own section.
struct ModeSection: View {
    let title: String
    @Binding var mode: String
    /// Each mode's tag and its label, in order.
    let modes: [(tag: String, label: String)]

    var body: some View {
        Section {
            Picker(title, selection: $mode) {
                ForEach(modes.indices, id: \.self) { i in Text(modes[i].label).tag(modes[i].tag) }
            }
            .pickerStyle(.segmented)
            .frame(minHeight: 44)
        }
    }
}

struct ErrorSection: View {
    let error: String?

    var body: some View {
        if let error { Section { Text(error).foregroundStyle(.red) } }
    }
}

/// The person's open course (the latest not closed), which records of the course belong to.
func openCourse(_ d: PersonDetail) -> CourseView? {
    d.courses.last { $0.closedAt == nil }
}

/// Says there is no open course, where a record needs one.
struct NoOpenCourse: View {
    let personId: String

    var body: some View {
        Section {
            SwiftUI.Label(L.ui("Borgeren har intet åbent forløb", "The citizen has no open course"), systemImage: "folder.badge.questionmark")
                .foregroundStyle(.orange)
            NavigationLink(value: Dest.course(personId)) {
                Text(L.ui("Åbn et forløb", "Open a course"))
            }
            .frame(minHeight: 56)
        }
    }
}
