module tracefuzz/conformance

go 1.26
