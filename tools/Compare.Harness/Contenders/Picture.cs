namespace Compare.Contenders;

/// <summary>A PNG written to the output folder, with the caption the report shows under it.</summary>
/// <param name="Caption">What the picture shows.</param>
/// <param name="Path">The file's full path.</param>
internal sealed record Picture(string Caption, string Path);
