namespace CausalPanel.Cli;

/// <summary>A command line the tool cannot act on (exit code 2): the message says what to give instead.</summary>
internal sealed class UsageException(string message) : Exception(message);
