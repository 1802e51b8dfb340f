namespace LLMDistill.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character map (<c>bytes_to_unicode</c>): printable Latin-1 bytes map to themselves,
/// the other 68 bytes to U+0100.. in order, so every byte sequence becomes a string without spaces or control
/// characters (space becomes 'Ġ', newline 'Ċ'). Byte-level BPE vocabularies are written in this alphabet.
/// </summary>
internal static class ByteLevelMapping
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly short[] CharToByteTable = BuildCharToByte(ByteToCharTable);

    /// <summary>The character that stands for <paramref name="b"/>.</summary>
    public static char ByteToChar(byte b) => ByteToCharTable[b];

    /// <summary>The byte <paramref name="c"/> stands for, or -1 when it is not in the alphabet.</summary>
    public static int CharToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    /// <summary>Maps UTF-8 bytes to the byte-level alphabet.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToCharTable[bytes[i]];
        }

        return new string(chars);
    }

    /// <summary>Writes the byte-level form of the UTF-8 encoding of <paramref name="text"/> into <paramref name="destination"/>.</summary>
    /// <returns>The number of characters written (one per UTF-8 byte).</returns>
    public static int EncodeText(ReadOnlySpan<char> text, Span<char> destination, Span<byte> scratch)
    {
        var byteCount = System.Text.Encoding.UTF8.GetBytes(text, scratch);
        for (var i = 0; i < byteCount; i++)
        {
            destination[i] = ByteToCharTable[scratch[i]];
        }

        return byteCount;
    }

    /// <summary>Maps a byte-level token back to its bytes; null when a character is outside the alphabet.</summary>
    public static byte[]? Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            var b = CharToByte(token[i]);
            if (b < 0)
            {
                return null;
            }

            bytes[i] = (byte)b;
        }

        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }

        return table;
    }

    private static short[] BuildCharToByte(char[] byteToChar)
    {
        var table = new short[byteToChar.Max() + 1];
        Array.Fill(table, (short)-1);
        for (var b = 0; b < 256; b++)
        {
            table[byteToChar[b]] = (short)b;
        }

        return table;
    }
}
