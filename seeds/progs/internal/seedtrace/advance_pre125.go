//go:build !go1.25

package seedtrace

import "errors"

// Advancer is unavailable before go1.25: there is no flight recorder to
// force a generation boundary with. See advance.go.
type Advancer struct{}

// StartAdvancer reports that forced generation boundaries need go1.25.
func StartAdvancer() (*Advancer, error) {
	return nil, errors.New("forcing a trace generation boundary needs go1.25 (runtime/trace.FlightRecorder)")
}

// Advance is never reached: StartAdvancer always fails.
func (a *Advancer) Advance() error { return errors.New("unreachable") }

// Stop does nothing.
func (a *Advancer) Stop() {}
