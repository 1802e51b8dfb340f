using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Evaluation.Report;

/// <summary>Settings of the report (section <c>Eval:Report</c> of appsettings.json).</summary>
public sealed class ReportOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Eval:Report";

    /// <summary>Title shown at the top of report.md and report.html.</summary>
    /// <value>Default "Distillation report".</value>
    [Required]
    [StringLength(200, MinimumLength = 1)]
    public string Title { get; set; } = "Distillation report";

    /// <summary>Plot width in pixels.</summary>
    /// <value>Default 900.</value>
    [Range(300, 4000)]
    public int PlotWidth { get; set; } = 900;

    /// <summary>Plot height in pixels.</summary>
    /// <value>Default 420.</value>
    [Range(200, 3000)]
    public int PlotHeight { get; set; } = 420;
}
