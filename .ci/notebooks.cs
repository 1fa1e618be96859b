// Runs the code cells of every notebook in samples/ as a .NET 10 file-based app — the fallback to executing them in
// the .NET Interactive kernel (.ci/notebooks-kernel), needing neither Jupyter nor the kernel: the `#r` of CausalPanel
// (its built DLL, or `nuget: CausalPanel`) becomes a reference to the project, `using` directives move to the top and
// display(...) prints. Usage (from the repository root): dotnet run .ci/notebooks.cs
#:property PublishAot=false

using System.Diagnostics;
using System.Text.Json;

var root = Directory.GetCurrentDirectory();
var project = Path.Combine(root, "src", "CausalPanel", "CausalPanel.csproj");
var failed = 0;
foreach (var notebook in Directory.GetFiles(Path.Combine(root, "samples"), "*.ipynb").Order())
{
    using var json = JsonDocument.Parse(File.ReadAllText(notebook));
    var usings = new List<string>();
    var body = new List<string>();
    foreach (var cell in json.RootElement.GetProperty("cells").EnumerateArray())
    {
        if (cell.GetProperty("cell_type").GetString() != "code") continue;
        foreach (var line in string.Concat(cell.GetProperty("source").EnumerateArray().Select(s => s.GetString())).Split('\n'))
        {
            if (line.StartsWith("#r \"", StringComparison.Ordinal) && line.Contains("CausalPanel", StringComparison.Ordinal)) continue;
            if (line.StartsWith("using ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(';') && !line.Contains('(') && !line.StartsWith("using var", StringComparison.Ordinal)) usings.Add(line);
            else body.Add(line);
        }
    }
    var work = Directory.CreateTempSubdirectory("notebook-");
    var app = Path.Combine(work.FullName, Path.GetFileNameWithoutExtension(notebook) + ".cs");
    File.WriteAllLines(app, new[] { "#:property PublishAot=false", $"#:project {project}" }
        .Concat(usings.Distinct()).Concat(body)
        .Append("static void display(object? value) => Console.WriteLine(value is System.Collections.IEnumerable e and not string ? string.Join(Environment.NewLine, e.Cast<object>()) : value);"));
    var run = Process.Start(new ProcessStartInfo("dotnet", ["run", app]) { WorkingDirectory = work.FullName })!;
    run.WaitForExit();
    Console.WriteLine($"{Path.GetFileName(notebook)}: {(run.ExitCode == 0 ? "ran" : $"FAILED (exit {run.ExitCode})")}");
    if (run.ExitCode != 0) failed++;
    else work.Delete(recursive: true);
}
return failed;
