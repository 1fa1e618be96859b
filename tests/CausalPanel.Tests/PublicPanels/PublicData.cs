namespace CausalPanel.Tests.PublicPanels;

/// <summary>
/// Public panels whose licences do not let us bundle them (e.g. the R <c>did</c> package's <c>mpdta</c>, GPL-3). Their
/// tests run when the folder named by the environment variable <c>CAUSALPANEL_PUBLIC_DATA</c> holds the file, and are
/// skipped (with the reason) otherwise; docs/your-own-data.md says where each file comes from.
/// </summary>
internal static class PublicData
{
    public const string Variable = "CAUSALPANEL_PUBLIC_DATA";

    /// <summary>The file's path, or null when the folder or the file is absent.</summary>
    public static string? Find(string file) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder && File.Exists(Path.Combine(folder, file))
            ? Path.Combine(folder, file) : null;

    /// <summary>The file's path; the test is skipped (by <see cref="PublicDataFactAttribute"/>) when it is absent.</summary>
    public static string PathOf(string file) => Find(file) ?? throw new InvalidOperationException($"{file} is not in ${Variable}.");
}

/// <summary>A fact that needs a public data file: skipped, saying how to get the file, when it is absent.</summary>
public sealed class PublicDataFactAttribute : FactAttribute
{
    public PublicDataFactAttribute(string file, string source)
    {
        if (PublicData.Find(file) is null)
            Skip = $"Needs {file} in the folder named by ${PublicData.Variable} ({source}; not bundled: its licence does not allow it).";
    }
}
