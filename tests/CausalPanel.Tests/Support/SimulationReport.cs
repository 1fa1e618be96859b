namespace CausalPanel.Tests.Support;

/// <summary>Where slow simulation tests write their tables: docs/simulations/ of the repository (found from the test binaries).</summary>
internal static class SimulationReport
{
    /// <summary>Replications from the environment variable <paramref name="variable"/>, else <paramref name="fallback"/>.</summary>
    public static int Replications(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var r) && r > 0 ? r : fallback;

    /// <summary>As <see cref="Replications"/>, but "0" is kept (it skips that part of a simulation).</summary>
    public static int ReplicationsOrZero(string variable, int fallback) =>
        Environment.GetEnvironmentVariable(variable) == "0" ? 0 : Replications(variable, fallback);

    /// <summary>The path of docs/simulations/<paramref name="file"/> in the repository (found from the test binaries).</summary>
    public static string PathOf(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CausalPanel.sln"))) return Path.Combine(dir.FullName, "docs", "simulations", file);
        throw new DirectoryNotFoundException("The repository (CausalPanel.sln) was not found above the test binaries.");
    }

    /// <summary>Writes <paramref name="markdown"/> to docs/simulations/<paramref name="file"/> when the repository is found.</summary>
    public static void Write(string file, string markdown)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "CausalPanel.sln"))) continue;
            var folder = Directory.CreateDirectory(Path.Combine(dir.FullName, "docs", "simulations"));
            File.WriteAllText(Path.Combine(folder.FullName, file), markdown);
            return;
        }
    }

    /// <summary>The binomial Monte-Carlo standard error of a proportion p over r replications.</summary>
    public static double McError(double p, int r) => Math.Sqrt(p * (1 - p) / r);
}
