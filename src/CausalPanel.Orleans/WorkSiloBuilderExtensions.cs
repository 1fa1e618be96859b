using Microsoft.Extensions.DependencyInjection;

namespace CausalPanel.Orleans;

/// <summary>Makes a silo a CausalPanel worker.</summary>
public static class WorkSiloBuilderExtensions
{
    /// <summary>
    /// Registers the silo's job cache, which <see cref="WorkItemGrain"/> needs (the grain itself is found in this
    /// assembly); <paramref name="cachedJobs"/> jobs are kept rebuilt at most (least recently used dropped first).
    /// </summary>
    public static ISiloBuilder AddCausalPanelWorkers(this ISiloBuilder builder, int cachedJobs = 4)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cache = new WorkJobCache(cachedJobs);
        builder.Services.AddSingleton(cache);
        return builder;
    }
}
