namespace CausalPanel.Orleans;

/// <summary>
/// A silo of the cluster has the CausalPanel worker grain (it loads this assembly) but was built without
/// <see cref="WorkSiloBuilderExtensions.AddCausalPanelWorkers"/>, so it has no job cache to compute items with; the
/// message names the silo.
/// </summary>
public sealed class WorkersNotConfiguredException(string message) : CausalPanelException(message);
