// The Android shell. It holds no rules: the Rust core (built here for the phone's ABIs with
// cargo-ndk) records, validates, projects and syncs; this app keeps the key in the Keystore,
// draws the screens, and carries sync requests over HttpURLConnection.
//
// Two tasks feed the Android build, each with declared inputs and outputs so that Gradle skips
// them when nothing changed (A2, A3):
// - `cargoNdk<Variant>`: the core for every ABI, linked with 16 KB pages (A1), by the NDK this
//   file names (ANDROID_NDK_HOME set from `android.ndkDirectory`), for API 26. Debug builds use
//   cargo's `release` profile (fast to link); release builds the size-optimised `phone` profile.
//   Its output dir is registered as the variant's jniLibs with the variant API.
// - `generateBindings<Variant>`: the Kotlin bindings from the host build of the same core, run through
//   bindings/generate.sh and synced (FileSystemOperations, configuration-cache safe) into a
//   generated source dir registered with `addGeneratedSourceDirectory` (A3).

import javax.inject.Inject
import org.gradle.api.file.ConfigurableFileCollection
import org.gradle.api.file.DirectoryProperty
import org.gradle.api.file.FileSystemOperations
import org.gradle.api.provider.ListProperty
import org.gradle.api.provider.Property
import org.gradle.process.ExecOperations
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

val repoDir: File = rootProject.projectDir.parentFile
val rustAbis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
// Every Android target the core is built for, with the linker told to align LOAD segments to
// 16 KB (A1). NDK r28 does this by default; the flag keeps it so if someone builds with r27.
val rustTriples = listOf("aarch64-linux-android", "armv7-linux-androideabi", "x86_64-linux-android")

android {
    namespace = "dk.gadeplan.app"
    compileSdk = 35
    // NDK r28c: 16 KB-aligned ELF segments by default (A1).
    ndkVersion = "28.2.13676358"

    defaultConfig {
        applicationId = "dk.gadeplan.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        ndk { abiFilters += rustAbis }
    }
    buildTypes {
        getByName("debug") {
            isMinifyEnabled = false
        }
        getByName("release") {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            // Signed by the municipality's release key outside this repository.
        }
    }
    buildFeatures {
        compose = true
        buildConfig = true
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    packaging { jniLibs.useLegacyPackaging = false }
    testOptions { unitTests.isReturnDefaultValues = true }
}

// A4: compilerOptions, not the deprecated kotlinOptions.
kotlin {
    compilerOptions { jvmTarget.set(JvmTarget.JVM_17) }
}

val coreInputs = listOf("core/src", "core/Cargo.toml", "core/uniffi.toml", "Cargo.toml", "Cargo.lock")

/** The core for every ABI, into `outputDir` (wired by AGP per variant) (A1, A2). */
abstract class CargoNdk : DefaultTask() {
    @get:InputFiles @get:PathSensitive(PathSensitivity.RELATIVE) abstract val sources: ConfigurableFileCollection
    @get:Input abstract val profileArgs: ListProperty<String>
    @get:Input abstract val abis: ListProperty<String>
    @get:Input abstract val triples: ListProperty<String>
    @get:Input abstract val ndkDir: Property<String>
    @get:Internal abstract val repoRoot: DirectoryProperty
    @get:OutputDirectory abstract val outputDir: DirectoryProperty
    @get:Inject abstract val exec: ExecOperations

    @TaskAction
    fun build() {
        exec.exec {
            workingDir = repoRoot.get().asFile
            environment("ANDROID_NDK_HOME", ndkDir.get())
            // 16 KB page alignment for every Android target (A1); r28 does it by default.
            triples.get().forEach { t ->
                environment("CARGO_TARGET_${t.uppercase().replace('-', '_')}_RUSTFLAGS", "-C link-arg=-Wl,-z,max-page-size=16384")
            }
            commandLine(
                listOf("cargo", "ndk") + abis.get().flatMap { listOf("-t", it) } +
                    listOf("--platform", "26", "-o", outputDir.get().asFile.path, "build", "--locked") +
                    profileArgs.get() + listOf("-p", "gadeplan-core"),
            )
        }
    }
}

/** The Kotlin bindings: generate.sh (host build) writes build/bindings/; the .kt files are synced
 *  into `outputDir`, which AGP registers as generated Java/Kotlin sources (A3). */
abstract class GenerateBindings : DefaultTask() {
    @get:InputFiles @get:PathSensitive(PathSensitivity.RELATIVE) abstract val sources: ConfigurableFileCollection
    @get:Internal abstract val repoRoot: DirectoryProperty
    @get:OutputDirectory abstract val outputDir: DirectoryProperty
    @get:Inject abstract val exec: ExecOperations
    @get:Inject abstract val fs: FileSystemOperations

    @TaskAction
    fun generate() {
        val root = repoRoot.get().asFile
        exec.exec {
            workingDir = root
            commandLine("bash", "bindings/generate.sh", "debug")
        }
        fs.sync {
            from(File(root, "build/bindings")) { include("dk/**/*.kt") }
            into(outputDir)
        }
    }
}

androidComponents {
    onVariants { variant ->
        val name = variant.name.replaceFirstChar { it.uppercase() }
        // One task per variant: AGP chooses each one's output directory.
        val bindings = tasks.register<GenerateBindings>("generateBindings$name") {
            sources.from(coreInputs.map { File(repoDir, it) }, File(repoDir, "bindings/generate.sh"))
            repoRoot.set(repoDir)
        }
        variant.sources.java?.addGeneratedSourceDirectory(bindings, GenerateBindings::outputDir)
        val release = variant.buildType == "release"
        val cargo = tasks.register<CargoNdk>("cargoNdk$name") {
            sources.from(coreInputs.map { File(repoDir, it) })
            // Debug: cargo's release profile (quick to link); release: the size-optimised `phone`.
            profileArgs.set(if (release) listOf("--profile", "phone") else listOf("--release"))
            abis.set(rustAbis)
            triples.set(rustTriples)
            ndkDir.set(android.ndkDirectory.absolutePath)
            repoRoot.set(repoDir)
        }
        variant.sources.jniLibs?.addGeneratedSourceDirectory(cargo, CargoNdk::outputDir)
    }
}

dependencies {
    val composeBom = platform("androidx.compose:compose-bom:2024.12.01")
    implementation(composeBom)
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.material:material-icons-core")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.core:core-ktx:1.15.0")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.fragment:fragment-ktx:1.8.5")            // BiometricPrompt needs a FragmentActivity
    implementation("androidx.navigation:navigation-compose:2.8.5")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")   // collectAsStateWithLifecycle, LifecycleResumeEffect
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7") // the screens' ViewModels
    implementation("androidx.lifecycle:lifecycle-process:2.8.7")       // app background → sync, app lock
    implementation("androidx.work:work-runtime-ktx:2.10.0")
    implementation("androidx.biometric:biometric:1.1.0")               // app lock (M2)
    implementation("androidx.appcompat:appcompat:1.7.0")               // the window theme biometric's fingerprint dialog needs on API 26–27 (res/values/themes.xml)
    implementation("com.google.android.gms:play-services-code-scanner:16.1.0") // QR enrolment, no camera permission (M1)
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    implementation("net.java.dev.jna:jna:5.14.0@aar")

    // The logic layer's JVM tests (src/test, plain Kotlin + kotlin.test on JUnit 5), as
    // bindings/kotlin-test.sh runs them: the host build of the core through JNA's desktop jar.
    testImplementation("org.jetbrains.kotlin:kotlin-test-junit5:2.1.0")
    testImplementation("org.junit.jupiter:junit-jupiter:5.11.3")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher:1.11.3")
    testImplementation("net.java.dev.jna:jna:5.14.0")
    testImplementation("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.9.0")
}

// The JVM tests load the host build of the core (target/debug, made by generateBindings) and
// start a real centre (`cargo build -p gadeplan-centre` first; android/README.md).
tasks.withType<Test>().configureEach {
    useJUnitPlatform()
    systemProperty("jna.library.path", File(repoDir, "target/debug").path)
    systemProperty("gadeplan.centre", File(repoDir, "target/debug/gadeplan-centre").path)
}
