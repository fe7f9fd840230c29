//go:build go1.25

package seedtrace

import (
	"io"
	"runtime/trace"
)

// Advancer ends the current trace generation on demand. The only public way
// to make the runtime advance a generation at a chosen instant is a flight
// recorder snapshot: FlightRecorder.WriteTo calls the runtime's traceAdvance
// synchronously on the calling goroutine, before it returns. A flight
// recorder may run beside trace.Start since go1.25.
type Advancer struct {
	fr *trace.FlightRecorder
}

// StartAdvancer starts a small flight recorder used only for its snapshots.
// Call it after trace.Start (Main does that before the scenario runs).
func StartAdvancer() (*Advancer, error) {
	// The recorder's window is irrelevant (snapshots are discarded); keep
	// its memory small.
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MaxBytes: 1 << 20})
	if err := fr.Start(); err != nil {
		return nil, err
	}
	return &Advancer{fr: fr}, nil
}

// Advance ends the current generation before it returns.
func (a *Advancer) Advance() error {
	_, err := a.fr.WriteTo(io.Discard)
	return err
}

// Stop stops the flight recorder.
func (a *Advancer) Stop() { a.fr.Stop() }
