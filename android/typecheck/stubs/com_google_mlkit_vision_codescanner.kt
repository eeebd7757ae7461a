// A stand-in for `com.google.mlkit.vision.codescanner` (Play services' code scanner (ML Kit)) with
// only the signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with Play services' code scanner
// (ML Kit): only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package com.google.mlkit.vision.codescanner
import com.google.android.gms.tasks.Task
import com.google.mlkit.vision.barcode.common.Barcode
class GmsBarcodeScannerOptions { class Builder { fun setBarcodeFormats(f: Int, vararg more: Int): Builder = this; fun build(): GmsBarcodeScannerOptions = GmsBarcodeScannerOptions() } }
interface GmsBarcodeScanner { fun startScan(): Task<Barcode> }
object GmsBarcodeScanning { fun getClient(c: android.content.Context, o: GmsBarcodeScannerOptions): GmsBarcodeScanner = TODO() }
