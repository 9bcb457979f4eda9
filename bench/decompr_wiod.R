# decompr (R) on a WIOD 2013 table: the baseline of bench_gvc.sh. Times
# load_tables_vectors + wwz() and + kww() (reading the CSV excluded), writes decompr's
# WWZ to OUT_WWZ.csv for the agreement check. usage: Rscript decompr_wiod.R TABLE.csv.gz OUT
# decompr is installed outside the repository (bench_gvc.sh: R CMD INSTALL -l DIR).
args <- commandArgs(TRUE)
lib <- Sys.getenv("DECOMPR_LIB")
if (nzchar(lib)) .libPaths(c(lib, .libPaths()))
suppressMessages(library(decompr))
d <- read.csv(gzfile(args[1]), check.names = FALSE)
d <- d[d[[1]] != "TOT", ]
n <- nrow(d)
k <- unique(d[[1]]); i <- unique(d[[2]])
x <- as.matrix(d[, 3:(n + 2)]); y <- as.matrix(d[, (n + 3):(ncol(d) - 1)])
dimnames(x) <- NULL; dimnames(y) <- NULL
storage.mode(x) <- "double"; storage.mode(y) <- "double"
t1 <- system.time({ o <- load_tables_vectors(x = x, y = y, k = k, i = i); w <- wwz(o) })[["elapsed"]]
t2 <- system.time({ o <- load_tables_vectors(x = x, y = y, k = k, i = i); kk <- kww(o) })[["elapsed"]]
cat(sprintf("decompr %s (R %s): load_tables_vectors + wwz %.2f s, load_tables_vectors + kww %.2f s\n",
            packageVersion("decompr"), getRversion(), t1, t2))
w$Exporting_Country <- as.character(w$Exporting_Country)
w$Exporting_Industry <- as.character(w$Exporting_Industry)
w$Importing_Country <- as.character(w$Importing_Country)
write.csv(w[, 1:19], paste0(args[2], "_wwz.csv"), row.names = FALSE)
write.csv(kk, paste0(args[2], "_kww.csv"), row.names = FALSE)
