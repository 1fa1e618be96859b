using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CausalPanel;

/// <summary>
/// Checkpoint and shard files: JSON Lines, a header <c>{"format":"causalpanel-work/1","kind":…,"job":hash,"count":N,"description":…}</c>
/// and then one <see cref="WorkItemResult"/> per line, appended and flushed as each item finishes, so a crash or Ctrl+C
/// loses at most the items in flight (a half-written last line is dropped when the file is reopened). A shard's file is
/// a checkpoint holding the shard's items; <see cref="Merge"/> combines shard files into one complete checkpoint, which a
/// rerun with the same arguments reads instead of computing anything.
/// </summary>
public static class WorkCheckpoint
{
    private const string Format = "causalpanel-work/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private sealed record Header(string Format, string Kind, string Job, int Count, string Description);

    /// <summary>The items of <paramref name="path"/> (a checkpoint or shard file), checked to belong to <paramref name="job"/>; empty when the file does not exist.</summary>
    /// <exception cref="WorkJobMismatchException">The file is another job's.</exception>
    public static IReadOnlyList<WorkItemResult> Read(string path, WorkJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!File.Exists(path)) return [];
        var (header, items, _) = Load(path);
        if (header is null) return [];
        if (header.Job != job.Hash)
            throw new WorkJobMismatchException($"The file '{path}' holds items of another job (hash {header.Job[..12]}…, {header.Kind}, {header.Count} items) than this run's ({job.Hash[..12]}…, {job.Kind}, {job.Count} items): the data, estimator, options, seed or replications differ. Rerun with the same arguments, or give a new file.");
        return items;
    }

    /// <summary>
    /// Combines shard files of one job into <paramref name="output"/> (a complete checkpoint, items in order).
    /// </summary>
    /// <returns>The job's hash.</returns>
    /// <exception cref="WorkJobMismatchException">The files are of different jobs (named).</exception>
    /// <exception cref="IncompleteWorkException">Items are in none of the files (named; a shard missing or unfinished).</exception>
    public static string Merge(IReadOnlyList<string> shards, string output)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0) throw new ArgumentException("Give at least one shard file.", nameof(shards));
        Header? first = null;
        var firstPath = "";
        var items = new SortedDictionary<int, WorkItemResult>();
        foreach (var path in shards)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The shard file '{path}' does not exist.", path);
            var (header, shardItems, _) = Load(path);
            if (header is null) throw new WorkJobMismatchException($"The file '{path}' is not a CausalPanel shard or checkpoint file (no header line).");
            if (first is null) (first, firstPath) = (header, path);
            else if (header.Job != first.Job)
                throw new WorkJobMismatchException($"The shard files '{firstPath}' (job {first.Job[..12]}…, {first.Count} items) and '{path}' (job {header.Job[..12]}…, {header.Count} items) belong to different jobs: they were run with different data or arguments. Merge the shards of one run only.");
            foreach (var item in shardItems) items.TryAdd(item.Index, item);
        }
        var missing = Enumerable.Range(0, first!.Count).Where(i => !items.ContainsKey(i)).ToArray();
        if (missing.Length > 0)
            throw new IncompleteWorkException($"The shard files hold {items.Count} of the job's {first.Count} items; items {Items(missing)} (0-based) are in none of them. Run or finish the shards that hold them (a shard k of n holds the items i with i mod n = k − 1) and merge again.", missing);
        using var writer = new StreamWriter(output, append: false, new UTF8Encoding(false));
        writer.WriteLine(JsonSerializer.Serialize(first, Json));
        foreach (var item in items.Values) writer.WriteLine(JsonSerializer.Serialize(item, Json));
        return first.Job;
    }

    /// <summary>Items as "3, 7, 12 and 40 more".</summary>
    internal static string Items(IReadOnlyList<int> items) =>
        string.Join(", ", items.Take(10)) + (items.Count > 10 ? $" and {items.Count - 10} more" : "");

    /// <summary>Opens <paramref name="path"/> to append <paramref name="job"/>'s items (the header written if the file is new; a half-written last line cut off).</summary>
    internal static Writer Append(string path, WorkJob job)
    {
        var (header, _, validLength) = File.Exists(path) ? Load(path) : (null, [], 0L);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(header is null ? 0 : validLength);
        stream.Seek(0, SeekOrigin.End);
        var writer = new StreamWriter(stream, new UTF8Encoding(false));
        if (header is null)
        {
            writer.WriteLine(JsonSerializer.Serialize(new Header(Format, job.Kind, job.Hash, job.Count, job.Description), Json));
            writer.Flush();
        }
        return new Writer(writer);
    }

    private static (Header? Header, List<WorkItemResult> Items, long ValidLength) Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Header? header = null;
        var items = new List<WorkItemResult>();
        long valid = 0;
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) break;   // a line without its newline: written when the run stopped
            var line = Encoding.UTF8.GetString(bytes, start, end - start).TrimEnd('\r');
            try
            {
                if (header is null)
                {
                    header = JsonSerializer.Deserialize<Header>(line, Json);
                    if (header?.Format != Format) throw new WorkJobMismatchException($"The file '{path}' is not a CausalPanel checkpoint or shard file (its first line is not a {Format} header). Give a new file name.");
                }
                else if (line.Length > 0) items.Add(JsonSerializer.Deserialize<WorkItemResult>(line, Json)!);
            }
            catch (JsonException) when (header is not null)
            {
                break;   // a damaged line: the items after it are redone
            }
            catch (JsonException)
            {
                throw new WorkJobMismatchException($"The file '{path}' is not a CausalPanel checkpoint or shard file (its first line is not a {Format} header). Give a new file name.");
            }
            valid = end + 1;
            start = end + 1;
        }
        return (header, items, valid);
    }

    /// <summary>Appends items, one flushed line each, from any thread.</summary>
    internal sealed class Writer(StreamWriter writer) : IDisposable
    {
        public void Write(WorkItemResult item)
        {
            var line = JsonSerializer.Serialize(item, Json);
            lock (writer)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }

        public void Dispose() => writer.Dispose();
    }
}
