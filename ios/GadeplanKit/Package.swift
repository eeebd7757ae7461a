// swift-tools-version: 5.9
// GadeplanKit: everything of the iOS app that is not drawing, as a Swift package a developer
// tests on a Mac with `swift test` (XCTest), the way Android's logic layer runs on the JVM.
//
// - GadeplanCoreFFI: the core's static library and C header, as the XCFramework that
//   ios/build-xcframework.sh makes (Frameworks/GadeplanCore.xcframework here; not committed).
//   It lies inside the package because SwiftPM refuses a local binary target whose path leaves
//   the package's root (a `../build/…` path fails to resolve).
// - GadeplanCore: the uniffi-generated Swift bindings, copied in by the same script
//   (Sources/GadeplanCore/GadeplanCore.swift; gitignored). The app's `import GadeplanCore` names
//   this module (review finding I1), so the core's `Label`, `Entry` and `Stage` no longer shadow
//   SwiftUI's in every file.
// - GadeplanKit: the key vault, the start-state routing, the sync coordinator and transport,
//   error texts, the enrolment form, the app lock and the sync banner. Foundation and Security
//   only: no UIKit, no SwiftUI, so `swift test` runs it on macOS.
import PackageDescription

let package = Package(
    name: "GadeplanKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "GadeplanCore", targets: ["GadeplanCore"]),
        .library(name: "GadeplanKit", targets: ["GadeplanKit"]),
    ],
    targets: [
        .binaryTarget(name: "GadeplanCoreFFI", path: "Frameworks/GadeplanCore.xcframework"),
        .target(
            name: "GadeplanCore",
            dependencies: ["GadeplanCoreFFI"],
            path: "Sources/GadeplanCore",
            exclude: ["README.md"]
        ),
        .target(
            name: "GadeplanKit",
            dependencies: ["GadeplanCore"],
            path: "Sources/GadeplanKit",
            linkerSettings: [.linkedFramework("Security")]
        ),
        .testTarget(
            name: "GadeplanKitTests",
            dependencies: ["GadeplanKit", "GadeplanCore"],
            path: "Tests/GadeplanKitTests"
        ),
    ]
)
