using Cs231n.MLNet.Reporting;

namespace Cs231n.MLNet.Tests.Reporting;

[TestClass]
public sealed class ReportFontsTests
{
    [TestMethod]
    public void AFontWithGlyphsIsFound()
    {
        if (!ReportFonts.IsTextAvailable)
            Assert.Inconclusive("No system font was found for chart text; install one with: apt-get install fonts-dejavu-core");
        Assert.IsFalse(string.IsNullOrEmpty(ReportFonts.FamilyName));
    }

    [TestMethod]
    public void UseFontFile_RejectsMissingAndNonFontFiles()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => ReportFonts.UseFontFile(Path.Combine(PngAssert.OutputFolder, "missing.ttf")));
        var notAFont = Path.Combine(PngAssert.OutputFolder, "not-a-font.ttf");
        Directory.CreateDirectory(PngAssert.OutputFolder);
        File.WriteAllText(notAFont, "plain text");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ReportFonts.UseFontFile(notAFont)).Message, "is not a font file Skia can read");
    }
}
