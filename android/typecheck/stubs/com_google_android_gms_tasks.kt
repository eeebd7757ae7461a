// A stand-in for `com.google.android.gms.tasks` (Play services' Tasks, which the code scanner
// returns) with only the signatures the app calls: NOT the real library, and never part of the
// app's build. bindings/kotlin-test.sh compiles every file of android/app/src/main/java against
// these stand-ins and the core's generated bindings, which proves that the app's code agrees with
// the core's generated API and with itself; it does not prove that it agrees with Play services:
// only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package com.google.android.gms.tasks

fun interface OnSuccessListener<TResult> { fun onSuccess(result: TResult) }
fun interface OnFailureListener { fun onFailure(e: Exception) }
fun interface OnCanceledListener { fun onCanceled() }
abstract class Task<TResult> {
    abstract fun addOnSuccessListener(listener: OnSuccessListener<in TResult>): Task<TResult>
    abstract fun addOnFailureListener(listener: OnFailureListener): Task<TResult>
    abstract fun addOnCanceledListener(listener: OnCanceledListener): Task<TResult>
}
