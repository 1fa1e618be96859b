using System.Runtime.InteropServices;

namespace CausalPanel;

/// <summary>Numbers the distinct keys a reader meets 0, 1, 2, ... in order of first appearance.</summary>
internal sealed class KeyIds<TKey>(IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly Dictionary<TKey, int> _ids = new(comparer);
    private readonly List<TKey> _keys = [];

    /// <summary>The id of <paramref name="key"/>, new if it was not met before.</summary>
    public int Id(TKey key)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, key, out var met);
        if (!met)
        {
            id = _keys.Count;
            _keys.Add(key);
        }
        return id;
    }

    /// <summary>The distinct keys by id.</summary>
    public object[] Keys()
    {
        var keys = new object[_keys.Count];
        for (var k = 0; k < keys.Length; k++) keys[k] = _keys[k];
        return keys;
    }
}

/// <summary>Numbers distinct texts read as spans (CSV fields) without allocating a string for a text met before.</summary>
internal sealed class TextIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _keys = [];

    public TextIds() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The id of <paramref name="text"/>, new if it was not met before.</summary>
    public int Id(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var id)) return id;
        var key = text.ToString();
        _ids.Add(key, id = _keys.Count);
        _keys.Add(key);
        return id;
    }

    /// <summary>The distinct texts by id.</summary>
    public object[] Keys() => [.. _keys];
}
