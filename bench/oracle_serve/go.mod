module tracefuzz/bench/oracleserve

go 1.26
