namespace CausalPanel.Cli;

/// <summary>The tool's exit codes (docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The library refused the data or the estimation (a CausalPanelException); its message is printed.</summary>
    public const int Refused = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing or invalid value, a file that cannot be opened.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
