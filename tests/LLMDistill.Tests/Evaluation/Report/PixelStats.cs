using SkiaSharp;

namespace LLMDistill.Tests.Evaluation.Report;

/// <summary>How much of an image is drawn: the share of pixels that differ from the corner (background) colour, and colour variety.</summary>
internal static class PixelStats
{
    public static (double InkedFraction, int DistinctColours) Measure(SKBitmap bitmap, int top = 0, int height = -1)
    {
        height = height < 0 ? bitmap.Height - top : Math.Min(height, bitmap.Height - top);
        var background = bitmap.GetPixel(0, top);
        long inked = 0;
        var colours = new HashSet<uint>();
        for (var y = top; y < top + height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (Distance(pixel, background) > 24)
                {
                    inked++;
                }

                // Quantise to 4 bits per channel so anti-aliasing does not inflate the count.
                colours.Add((uint)((pixel.Red >> 4) << 8 | (pixel.Green >> 4) << 4 | (pixel.Blue >> 4)));
            }
        }

        return ((double)inked / (bitmap.Width * (long)height), colours.Count);
    }

    private static int Distance(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);
}
