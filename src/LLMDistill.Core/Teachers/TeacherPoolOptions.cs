using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Teachers;

/// <summary>
/// Settings shared by all teachers, bound from the scalar keys of the <c>Teachers</c> section
/// (<c>Teachers:Default</c>, <c>Teachers:CacheDirectory</c>, <c>Teachers:TotalBudgetUsd</c>). Every child section of
/// <c>Teachers</c> is a named teacher (<see cref="TeacherOptions"/>), so these three names cannot be teacher names.
/// </summary>
public sealed class TeacherPoolOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Teachers";

    /// <summary>The teacher used when a command does not name one.</summary>
    public string? Default { get; set; }

    /// <summary>Root of the on-disk response cache; relative paths resolve against the working directory.</summary>
    /// <value>Default: cache/teachers.</value>
    [Required]
    public string CacheDirectory { get; set; } = Path.Combine("cache", "teachers");

    /// <summary>Spend limit over all teachers together in USD; once reached, no teacher sends new requests. Empty = none.</summary>
    [Range(typeof(decimal), "0", "100000000")]
    public decimal? TotalBudgetUsd { get; set; }

    /// <summary>The scalar keys of the section, which are not teacher names.</summary>
    internal static IReadOnlySet<string> ReservedKeys { get; } =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { nameof(Default), nameof(CacheDirectory), nameof(TotalBudgetUsd) };
}
