using System.Data;
using CausalPanel.Cli.Commands;
using DuckDB.NET.Data;

namespace CausalPanel.Cli;

/// <summary>
/// Reads the panel a command names: a CSV through the library's reader (every <see cref="PanelReadOptions"/> option),
/// standard input ('-'), a Parquet file or any DuckDB query through <see cref="PanelData.FromDataReader"/>.
/// </summary>
internal static class PanelSource
{
    /// <summary>What FILE holds when the command line gave '-' (standard input).</summary>
    public const string StandardInput = "(standard input)";

    /// <exception cref="UsageException">The file does not exist.</exception>
    public static PanelData Read(PanelSettings s, TextReader stdin)
    {
        var options = s.ReadOptions();
        if (s.Sql is null && s.File == StandardInput)
            return PanelData.ReadCsv(stdin, s.Unit!, s.Time!, s.Outcome!, s.Treated, s.Adoption, s.CovariateList, options);
        if (s.File is { } file && file != StandardInput && !System.IO.File.Exists(file))
            throw new UsageException($"There is no file '{file}'.");
        if (s.Sql is null && !IsParquet(s.File!))
            return PanelData.ReadCsv(s.File!, s.Unit!, s.Time!, s.Outcome!, s.Treated, s.Adoption, s.CovariateList, options);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        if (s.File == StandardInput) throw new UsageException("--sql reads files, not standard input: give the file's path as FILE (it is then the view 'panel').");
        if (s.File is { } path)
            Execute(connection, $"CREATE VIEW panel AS SELECT * FROM {(IsParquet(path) ? "read_parquet" : "read_csv_auto")}('{path.Replace("'", "''", StringComparison.Ordinal)}')");
        using var command = connection.CreateCommand();
        command.CommandText = s.Sql ?? "SELECT * FROM panel";
        using var reader = Query(command);
        return PanelData.FromDataReader(reader, s.Unit!, s.Time!, s.Outcome!, s.Treated, s.Adoption, s.CovariateList, options);
    }

    private static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".parq", StringComparison.OrdinalIgnoreCase);

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DuckDBException e)
        {
            throw new UsageException($"DuckDB could not open the file: {e.Message}");
        }
    }

    private static IDataReader Query(DuckDBCommand command)
    {
        try
        {
            return command.ExecuteReader();
        }
        catch (DuckDBException e)
        {
            throw new UsageException($"DuckDB refused the query: {e.Message}");
        }
    }
}
