// The small pieces every screen uses (review findings I16, I17, I23, M11):
// - `Loader`, a main-actor view model that reads the store off the main thread (AppModel.read)
//   and keeps a loading, loaded or failed state, and `Loaded`, which draws the failure with a
//   retry instead of an empty list; `LoadedListScreen`, a read-only list screen over one loader
//   (the team's lists: waiting for treatment, coverage);
// - `BigButtonStyle`: primary actions 60 pt high, full width, for cold hands and gloves;
// - `BandBadge`: the Brøset band in colour *and* words (never colour alone), in system colours
//   that hold in dark mode;
// - `SyncMark`: a record's "not sent" or "refused" mark;
// - `NeedsConnection`: what an action that needs the centre says while the phone is offline;
// - `whileWorking`: a one-off action of a screen (erasing the phone) with its spinner flag and error.
// Everything uses system colours and text styles, so dark mode and Dynamic Type up to the
// accessibility sizes come from the system.

import GadeplanCore
import GadeplanKit
import SwiftUI

@MainActor
final class Loader<Value>: ObservableObject {
    enum State {
        case loading
        case loaded(Value)
        case failed(String)
    }

    @Published private(set) var state: State = .loading

    var value: Value? {
        if case let .loaded(value) = state { return value }
        return nil
    }

    func load(_ model: AppModel, _ read: @escaping (Store) throws -> Value) async {
        do {
            state = .loaded(try await model.read(read))
        } catch {
            state = .failed(L.error(error))
        }
    }
}

/// The loader's value drawn by `content`; a spinner while loading; the error and "Prøv igen".
struct Loaded<Value, Content: View>: View {
    @ObservedObject var loader: Loader<Value>
    let retry: () async -> Void
    @ViewBuilder let content: (Value) -> Content

    var body: some View {
        switch loader.state {
        case .loading:
            ProgressView().frame(maxWidth: .infinity, minHeight: 60)
        case let .loaded(value):
            content(value)
        case let .failed(message):
            VStack(alignment: .leading, spacing: 8) {
                Text(message).foregroundStyle(.red)
                Button(L.ui("Prøv igen", "Try again")) { Task { @MainActor in await retry() } }
                    .buttonStyle(.bordered)
                    .frame(minHeight: 56)
            }
        }
    }
}

/// A read-only screen of one list read from the store (again on every change): the rows in one
/// section, what an empty list says, an optional footer, and the title.
struct LoadedListScreen<Item, ID: Hashable, Row: View>: View {
    @EnvironmentObject private var model: AppModel
    @StateObject private var loader = Loader<[Item]>()
    let title: String
    /// Said in place of the rows when there are none.
    let empty: String
    var footer: String? = nil
    let id: KeyPath<Item, ID>
    let read: (Store) throws -> [Item]
    @ViewBuilder let row: (Item) -> Row

    var body: some View {
        List {
            Loaded(loader: loader, retry: load) { items in
                Section {
                    if items.isEmpty {
                        Text(empty).foregroundStyle(.secondary)
                    }
                    ForEach(items, id: id) { item in row(item) }
                } footer: {
                    if let footer { Text(footer) }
                }
            }
        }
        .navigationTitle(title)
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        await loader.load(model, read)
    }
}

struct BigButtonStyle: ButtonStyle {
    var tint: Color = .accentColor

    func makeBody(configuration: Configuration) -> some View {
        configuration.label
            .font(.headline)
            .frame(maxWidth: .infinity, minHeight: 60)
            .padding(.horizontal)
            .background(tint.opacity(configuration.isPressed ? 0.7 : 1), in: RoundedRectangle(cornerRadius: 14))
            .foregroundStyle(.white)
            .contentShape(Rectangle())
    }
}

/// The colour of a band: green, orange, red (system colours, adapted to dark mode).
func bandColor(_ band: RiskBand) -> Color {
    switch band {
    case .low: return .green
    case .moderate: return .orange
    case .high: return .red
    }
}

struct BandBadge: View {
    let band: RiskBand

    var body: some View {
        let label = L.instruments.broset.bands.first { $0.band == band }.map { L.text($0.label) } ?? code(of: band)
        Text(label)
            .font(.subheadline.weight(.semibold))
            .padding(.horizontal, 10)
            .padding(.vertical, 4)
            .background(bandColor(band).opacity(0.25), in: Capsule())
            .overlay(Capsule().stroke(bandColor(band), lineWidth: 1))
            .accessibilityLabel(L.ui("Risiko: ", "Risk: ") + label)
    }
}

struct SyncMark: View {
    let state: SyncState

    var body: some View {
        switch state {
        case .pending:
            SwiftUI.Label(L.ui("Ikke sendt", "Not sent"), systemImage: "icloud.slash")
                .font(.caption).foregroundStyle(.orange)
        case .rejected:
            SwiftUI.Label(L.ui("Afvist af centret", "Refused by the centre"), systemImage: "exclamationmark.triangle.fill")
                .font(.caption).foregroundStyle(.red)
        case .synced:
            EmptyView()
        }
    }
}

/// Said beside an action that needs the centre while the phone has no connection.
struct NeedsConnection: View {
    var body: some View {
        SwiftUI.Label(L.ui("Kræver forbindelse til centret. Telefonen er offline.",
                           "Needs a connection to the centre. The phone is offline."),
                      systemImage: "wifi.slash")
            .foregroundStyle(.orange)
    }
}

/// A trimmed text, nil when blank.
func trimmed(_ text: String) -> String? {
    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return value.isEmpty ? nil : value
}

/// Warnings the core gave with a record (its words, in the worker's language).
func warningText(_ warnings: [GadeplanCore.Label]) -> String? {
    warnings.isEmpty ? nil : warnings.map { L.text($0) }.joined(separator: "\n")
}

/// Runs `work` on the main actor with `working` on meanwhile; a failure, in the worker's words,
/// goes to `error`. For a screen's one-off action whose only outcome is done or an error.
func whileWorking(_ working: Binding<Bool>, error: Binding<String?>, _ work: @escaping @MainActor () async throws -> Void) {
    working.wrappedValue = true
    Task { @MainActor in
        do {
            try await work()
        } catch let failure {
            error.wrappedValue = L.error(failure)
        }
        working.wrappedValue = false
    }
}
