// The app's state on the main actor: where it starts (PhoneStore's route, the core's start state:
// review findings I6, I9), enrolment (an `enrolling` state, its error kept on the enrolment
// screen), the sync's outcome and the banner (I12, M7), the app lock (M2), sign-out and wipe
// (M4). Every store call goes through `read`/`write`, which run it on the store queue and resume
// here (I16); a write tells the sync schedule (GadeplanKit's SyncSchedule: a debounced sync, I11,
// audit P8). Nothing here blocks the main thread.
// The calls that need the centre (the search, fetching a history, a new device token) go through
// `withCentre`, on a queue of their own with a transport to the enrolled centre, so a slow network
// never holds up the screens' reads; the store's key is changed through `rekey` (docs/keys.md).

import Foundation
import GadeplanCore
import GadeplanKit
import SwiftUI

@MainActor
final class AppModel: ObservableObject {
    static let shared = AppModel()

    @Published private(set) var route: Route?
    @Published private(set) var enrolling = false
    @Published var enrolError: String?
    @Published private(set) var banner: Banner?
    /// The core's sync notices for the home screen, under the banner (`syncNotices`: storage
    /// full, clock wrong, refused, set aside, erased unsent, at the centre), worded by the core.
    @Published private(set) var notices: [GadeplanCore.Label] = []
    @Published private(set) var syncing = false
    @Published private(set) var online = true
    /// Bumped after every sync and every record: screens reload on it.
    @Published private(set) var changes = 0
    @Published private(set) var locked = true
    /// A link opened or scanned before the enrolment screen was shown.
    @Published var pendingLink: EnrolLink?

    let language = L.language
    let phone: PhoneStore
    let sync: BackgroundSync
    let notifier: Notifier
    let log: DefaultsSyncLog
    /// The contact screen's last choices (codes only), forgotten at sign-out.
    let contactDefaults = ContactDefaults()
    private let queue = StoreQueue()
    /// The calls that wait for the centre (up to the transport's two minutes).
    private let centreQueue = StoreQueue(label: "dk.gadeplan.centre")
    private let appLock = AppLock(timeout: 5 * 60)

    private init() {
        let phone = PhoneStore(directory: Platform.storeDirectory, wrapper: KeychainKeyWrapper(),
                               deviceName: Platform.deviceName, language: L.language)
        let log = DefaultsSyncLog()
        let notifier = Notifier()
        self.phone = phone
        self.log = log
        self.notifier = notifier
        sync = BackgroundSync(phone: phone, log: log, notifier: notifier, language: L.language)
        sync.onStart = { Task { @MainActor in AppModel.shared.syncing = true } }
        sync.onResult = { result in Task { @MainActor in AppModel.shared.finished(result) } }
        sync.onPath = { online in Task { @MainActor in AppModel.shared.pathChanged(online) } }
    }

    // MARK: start and route

    /// Reads the route again (at launch, when protected data becomes available, after a wipe).
    func start() async {
        let phone = self.phone
        let route = (try? await queue.run { phone.route() }) ?? .broken(message: L.ui("Ukendt fejl", "Unknown error"))
        self.route = route
        if case .main = route {
            notifier.askPermission()
            sync.schedule.started()
            await refreshBanner()
            await refreshCheckinAlarms()
        }
    }

    func retryIfLocked() {
        if route == .locked || route == nil { Task { await start() } }
    }

    // MARK: enrolment

    func enrol(centre: String, code: String, worker: String) {
        guard !enrolling else { return }
        enrolling = true
        enrolError = nil
        let phone = self.phone
        let transport = URLSessionTransport(centre: centre, version: Platform.version)
        Task {
            do {
                let route = try await queue.run {
                    defer { transport.finish() }
                    return try phone.enrol(centre: centre, code: code, worker: worker, transport: transport)
                }
                self.route = route
                self.enrolling = false
                appLock.unlocked()
                locked = false
                notifier.askPermission()
                sync.schedule.started()
                syncNow()
            } catch {
                self.enrolError = L.error(error)
                self.enrolling = false
                self.route = (try? await queue.run { phone.route() }) ?? self.route
            }
        }
    }

    // MARK: store calls

    /// `work` on the store queue, with the open store.
    func read<T>(_ work: @escaping (Store) throws -> T) async throws -> T {
        let phone = self.phone
        return try await queue.run {
            guard let store = phone.store() else {
                throw GadeplanError.NotEnrolled(message: "the store is not open")
            }
            return try work(store)
        }
    }

    /// A record: then the screens reload and a sync follows shortly.
    func write<T>(_ work: @escaping (Store) throws -> T) async throws -> T {
        let value = try await read(work)
        recorded()
        return value
    }

    /// What the store holds changed without a record of this phone's (a history fetched, the
    /// key changed): the screens reload.
    func reloadScreens() {
        changes += 1
        Task { await refreshBanner() }
    }

    func recorded() {
        changes += 1
        // The banner's "not sent" count and the notices change with the record, not only at the
        // next sync; a check-in started, given more time or ended moves its alarms.
        Task {
            await refreshBanner()
            await refreshCheckinAlarms()
        }
        sync.schedule.recorded()
    }

    // MARK: the centre, online

    /// `work` with the open store and a transport to the centre it is enrolled at, on the centre
    /// queue; the transport's session is released afterwards. The core's `NotEnrolled` before
    /// enrolment. Screens say "needs a connection" when `online` is false and do not call this.
    /// A revoked phone (the core erased it, as a sync would) goes to its explanation.
    func withCentre<T>(_ work: @escaping (Store, Transport) throws -> T) async throws -> T {
        let phone = self.phone
        let version = Platform.version
        do {
            return try await centreQueue.run {
                guard let store = phone.store(), let centre = try store.syncStatus().centre else {
                    throw GadeplanError.NotEnrolled(message: "the store is not open or not enrolled")
                }
                let transport = URLSessionTransport(centre: centre, version: version)
                defer { transport.finish() }
                return try work(store, transport)
            }
        } catch {
            if SyncCoordinator.problem(of: error) == .revoked { await start() }
            throw error
        }
    }

    // MARK: the store's key

    /// A new key for the store (PhoneStore.rekey: pending, rekey, promotion; docs/keys.md), on the
    /// store queue, so no screen's read runs in the middle of it. A sync under way finishes first.
    func rekey() async throws {
        let phone = self.phone
        try await queue.run { try phone.rekey() }
        changes += 1
    }

    // MARK: sync

    func syncNow() {
        if sync.schedule.syncNow() { syncing = true }
    }

    private func finished(_ result: SyncResult) {
        syncing = false
        changes += 1
        if case .stop(let problem) = result, problem == .revoked || problem == .keyLost {
            Task { await start() }
        }
        Task {
            await refreshBanner()
            await refreshCheckinAlarms()
        }
    }

    /// The local notifications of the worker's own open check-ins (audit P4), planned again from
    /// the store: a check-in ended on the worker's behalf arrives by a sync.
    func refreshCheckinAlarms() async {
        guard let planned = try? await read({ store -> [CheckinAlarm] in
            let me = try store.identity().worker
            return CheckinAlarms.planned(try store.checkins(), me: me, now: Date())
        }) else { return }
        notifier.scheduleCheckinAlarms(planned, language: language)
    }

    private func pathChanged(_ online: Bool) {
        self.online = online
        Task { await refreshBanner() }
    }

    /// The banner and the core's notices, from one `syncStatus`.
    func refreshBanner() async {
        let (log, online, language) = (self.log, self.online, self.language)
        let fetched: (Banner, [GadeplanCore.Label])? = try? await read { store -> (Banner, [GadeplanCore.Label]) in
            let status = try store.syncStatus()
            let banner = syncBanner(status: status, last: log.last(), online: online, now: Date(), language: language)
            return (banner, syncNotices(status: status))
        }
        banner = fetched?.0
        notices = fetched?.1 ?? []
    }

    // MARK: lifecycle and lock

    func scenePhaseChanged(_ phase: ScenePhase) {
        switch phase {
        case .background:
            appLock.backgrounded()
            if case .main = route { sync.schedule.leftScreen() }
        case .active:
            appLock.foregrounded()
            locked = appLock.locked
            retryIfLocked()
            if case .main = route { Task { await refreshBanner() } }
        default:
            break
        }
    }

    func unlocked() {
        appLock.unlocked()
        locked = false
    }

    // MARK: sign-out and wipe

    /// How many of the worker's records are not at the centre yet (nil: cannot say).
    func unsent() async -> UInt64? {
        let phone = self.phone
        return try? await queue.run { phone.unsent() }
    }

    /// Erases the store and its key and returns to enrolment.
    func wipe() async throws {
        let phone = self.phone
        sync.schedule.stopAll()
        // Waits for a sync under way (SyncGate), then erases.
        try await queue.run { try phone.wipe() }
        log.forget()
        contactDefaults.clear()
        notifier.forgetAll()
        banner = nil
        notices = []
        await start()
    }
}
