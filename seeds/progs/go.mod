module tracefuzz/seeds/progs

// go1.22 is the first release with the generation-based (v2) trace format, so
// the programs build with every toolchain whose traces tracefuzz reads. Files
// that need a newer runtime API carry their own //go:build line.
go 1.22
