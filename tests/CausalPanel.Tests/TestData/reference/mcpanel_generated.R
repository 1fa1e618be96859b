# MCPanel (git 6b2706f) mcnnm_cv with its defaults on generated block panels, for MatrixCompletionScaleParityTests.
# The panels are FactorPanels.Block(n, t, n/10, t/5) (benchmarks/CausalPanel.Benchmarks/FactorPanels.cs, seeded, bit-identical
# wherever generated), written by `mcpanel_generated.sh`; rows in file order (never-treated units first, then the
# treated ones, as MatrixCompletion orders them), the outcome read from the hexadecimal column (exact).
#   Rscript mcpanel_generated.R <folder with blockNxT.csv> <sizes, e.g. 100x20 500x50> > rows.csv
suppressMessages(library(MCPanel))
args <- commandArgs(TRUE)
cat("panel,lambda_max,grid_first,grid_last,best_index,best_lambda,min_rmse,att,seconds\n")
for (size in args[-1]) {
  d <- read.csv(file.path(args[1], sprintf("block%s.csv", size)))
  n <- length(unique(d$unit)); t <- length(unique(d$time))
  Y <- matrix(as.numeric(d$outcome_hex), n, t, byrow = TRUE)
  W <- matrix(d$treated, n, t, byrow = TRUE)
  lambda_max <- mcnnm_lam_range(Y, 1 - W)           # all untreated cells, niter = 1000
  seconds <- system.time(fit <- mcnnm_cv(Y, 1 - W))[["elapsed"]]
  att <- sum((Y - fit$L - outer(fit$u, rep(1, t)) - outer(rep(1, n), fit$v)) * W) / sum(W)
  grid <- fit$lambda_L
  cat(sprintf("%s,%.17g,%.17g,%.17g,%d,%.17g,%.17g,%.17g,%.0f\n", size, lambda_max, grid[1], grid[length(grid) - 1],
              which(grid == fit$best_lambda)[1] - 1, fit$best_lambda, fit$min_RMSE, att, seconds))
}
