// The Android shell. It holds no rules: the Rust core (built here for the phone's ABIs with
// cargo-ndk) records, validates, projects and syncs; this app keeps the key in the Keystore,
// draws the screens, and carries sync requests over HttpURLConnection.

import org.gradle.api.tasks.Exec

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

val repoRoot = rootProject.projectDir.parentFile
val rustAbis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val jniOut = layout.buildDirectory.dir("rust/jniLibs")
val bindingsOut = layout.buildDirectory.dir("generated/uniffi")

android {
    namespace = "dk.gadeplan.app"
    compileSdk = 35
    ndkVersion = "27.2.12479018"

    defaultConfig {
        applicationId = "dk.gadeplan.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        ndk { abiFilters += rustAbis }
    }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
    sourceSets["main"].jniLibs.srcDir(jniOut)
    sourceSets["main"].java.srcDir(bindingsOut)
    packaging { jniLibs.useLegacyPackaging = false }
}

// The core for every ABI, with the size-optimised `phone` profile.
val cargoBuild by tasks.registering(Exec::class) {
    workingDir = repoRoot
    val targets = rustAbis.flatMap { listOf("-t", it) }
    commandLine(listOf("cargo", "ndk") + targets + listOf("-o", jniOut.get().asFile.path, "build", "--locked", "--profile", "phone", "-p", "gadeplan-core"))
}

// The Kotlin bindings, generated from the host build of the same core.
val generateBindings by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("bash", "bindings/generate.sh", "debug")
    doLast {
        copy {
            from(File(repoRoot, "build/bindings")) { include("dk/**/*.kt") }
            into(bindingsOut)
        }
    }
}

tasks.named("preBuild") { dependsOn(cargoBuild, generateBindings) }

dependencies {
    val composeBom = platform("androidx.compose:compose-bom:2024.12.01")
    implementation(composeBom)
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.ui:ui-tooling-preview")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.navigation:navigation-compose:2.8.5")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
    implementation("net.java.dev.jna:jna:5.14.0@aar")
}
