# R timings beside the BenchmarkDotNet cases (benchmarks/README.md): R synthdid 0.0.9 and MCPanel (git 6b2706f) on the
# same panels. Called by r-timings.sh, which writes the generated panels first:
#   Rscript r-timings.R <folder with the generated CSVs> [--slow]
# Prints one line per case: case, median elapsed seconds, runs, result (so the numbers can be checked against ours).
args <- commandArgs(TRUE)
folder <- args[1]
slow <- "--slow" %in% args
suppressMessages({ library(synthdid); library(MCPanel) })
cat(sprintf("# %s; synthdid %s; MCPanel %s; %s\n", R.version.string, packageVersion("synthdid"), packageVersion("MCPanel"),
            format(Sys.time(), "%Y-%m-%d %H:%M:%S %Z")))

timed <- function(case, runs, f) {
  result <- NULL
  seconds <- sapply(seq_len(runs), function(k) system.time(result <<- f())[["elapsed"]])
  cat(sprintf("%-44s %10.3f s  (median of %d)  %s\n", case, median(seconds), runs, format(result, digits = 10)))
}

# A generated panel written by `CausalPanel.Benchmarks panel ...`: rows in file order (units, then periods), the
# outcome read from its hexadecimal column (exact).
read_panel <- function(name) {
  d <- read.csv(file.path(folder, name))
  n <- length(unique(d$unit)); t <- length(unique(d$time))
  list(Y = matrix(as.numeric(d$outcome_hex), n, t, byrow = TRUE), W = matrix(d$treated, n, t, byrow = TRUE))
}

# MC-NNM with mcnnm_cv defaults; ATT over the treated cells.
mc_att <- function(Y, W) {
  fit <- mcnnm_cv(Y, 1 - W)
  sum((Y - fit$L - outer(fit$u, rep(1, ncol(Y))) - outer(rep(1, nrow(Y)), fit$v)) * W) / sum(W)
}

data("california_prop99")
ca <- panel.matrices(california_prop99)
timed("DiD, California (did_estimate)", 5, function() c(did_estimate(ca$Y, ca$N0, ca$T0)))
timed("SC, California (sc_estimate)", 5, function() c(sc_estimate(ca$Y, ca$N0, ca$T0)))
timed("SDID, California (synthdid_estimate)", 5, function() c(synthdid_estimate(ca$Y, ca$N0, ca$T0)))
W <- matrix(0, nrow(ca$Y), ncol(ca$Y)); W[(ca$N0 + 1):nrow(W), (ca$T0 + 1):ncol(W)] <- 1
timed("MC-NNM mcnnm_cv defaults, California", 3, function() mc_att(ca$Y, W))

p <- read_panel("block1000x50.csv")
timed("MC-NNM mcnnm_cv defaults, block 1,000 x 50", 1, function() mc_att(p$Y, p$W))

if (slow) {
  sdid <- synthdid_estimate(ca$Y, ca$N0, ca$T0)
  timed("SDID placebo SE, 200, California", 1, function() { set.seed(1); sqrt(vcov(sdid, method = "placebo", replications = 200)) })
  p <- read_panel("block5000x100.csv")
  timed("MC-NNM mcnnm_cv defaults, block 5,000 x 100", 1, function() mc_att(p$Y, p$W))
  n0 <- sum(rowSums(p$W) == 0); t0 <- sum(colSums(p$W) == 0)
  timed("SDID, block 5,000 x 100 (synthdid_estimate)", 1, function() c(synthdid_estimate(p$Y, n0, t0)))
} else cat("# slow cases (MCPanel and synthdid on 5,000 x 100, SDID placebo on California) skipped: add --slow\n")
