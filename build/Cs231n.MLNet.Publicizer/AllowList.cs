// The allow-list of ML.NET internals that the publicizer makes public and the fence analyzer guards. Shared, as a
// linked file, by the publicizer (which applies it) and the analyzer (which reports uses outside MLNetInternals/).
using System;
using System.Collections.Generic;

namespace Cs231n.MLNet.Build
{
    /// <summary>
    /// One entry per line: a type (<c>Microsoft.ML.ModelLoadContext</c>; nested types as <c>Outer/Inner</c>, generic
    /// ones as <c>Name`1</c>), a member of a type (<c>Microsoft.ML.ModelSaveContext::Writer</c>, all overloads,
    /// <c>::.ctor</c> for constructors), or every member of a type (<c>Microsoft.Type::*</c>). A listed type becomes
    /// public with its members keeping their access; <c>#</c> starts a comment.
    /// </summary>
    internal sealed class AllowList
    {
        /// <summary>The file name, as checked in beside the publicizer.</summary>
        public const string FileName = "allowed-internals.txt";

        /// <summary>The publicizer's index of the members it left non-public, written beside the publicized copies.</summary>
        public const string NonPublicIndexFileName = "non-public-members.txt";

        /// <summary>Where the file lives, as people should read it in a message.</summary>
        public const string RepositoryPath = "build/Cs231n.MLNet.Publicizer/" + FileName;

        private AllowList(List<Entry> entries)
        {
            Entries = entries;
            foreach (var entry in entries)
            {
                if (entry.Member is null)
                    Types.Add(entry.Type);
                else if (entry.Member == "*")
                {
                    Types.Add(entry.Type);
                    WholeTypes.Add(entry.Type);
                }
                else
                    Members.Add(entry.Type + "::" + entry.Member);
            }
        }

        /// <summary>The entries in file order.</summary>
        public IReadOnlyList<Entry> Entries { get; }

        /// <summary>Types made public (listed alone or with <c>::*</c>).</summary>
        public HashSet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Types all of whose members are made public (<c>Type::*</c>).</summary>
        public HashSet<string> WholeTypes { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Single members made public, as <c>Type::Member</c>.</summary>
        public HashSet<string> Members { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Parses the text of the file; malformed lines are returned in <paramref name="errors"/>.</summary>
        public static AllowList Parse(string text, out List<(int Line, string Message)> errors)
        {
            errors = new List<(int, string)>();
            var entries = new List<Entry>();
            string[] lines = text.Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                int comment = line.IndexOf('#');
                if (comment >= 0)
                    line = line.Substring(0, comment);
                line = line.Trim();
                if (line.Length == 0)
                    continue;
                int separator = line.IndexOf("::", StringComparison.Ordinal);
                string type = separator < 0 ? line : line.Substring(0, separator);
                string? member = separator < 0 ? null : line.Substring(separator + 2);
                if (type.Length == 0 || type.IndexOf(' ') >= 0 || member is { Length: 0 } || (member?.IndexOf(' ') ?? -1) >= 0)
                {
                    errors.Add((i + 1, $"'{line}' is not an entry: write 'Namespace.Type' or 'Namespace.Type::Member'."));
                    continue;
                }
                entries.Add(new Entry(i + 1, type, member));
            }
            return new AllowList(entries);
        }

        /// <summary>Whether a use of this type or member (given by its type and member name) reaches a publicized internal.</summary>
        /// <param name="typeChain">The type's name and then the names of the types that contain it, innermost first.</param>
        /// <param name="member">The member's metadata name, or null for a use of the type itself.</param>
        /// <param name="entry">The allow-list line that publicized it.</param>
        public bool IsPublicized(IReadOnlyList<string> typeChain, string? member, out string entry)
        {
            if (member is not null && Members.Contains(typeChain[0] + "::" + member))
            {
                entry = typeChain[0] + "::" + member;
                return true;
            }
            foreach (string type in typeChain)
            {
                if (Types.Contains(type))
                {
                    entry = WholeTypes.Contains(type) ? type + "::*" : type;
                    return true;
                }
            }
            entry = string.Empty;
            return false;
        }

        /// <summary>One line of the file.</summary>
        public sealed class Entry
        {
            /// <summary>Creates an entry.</summary>
            public Entry(int line, string type, string? member)
            {
                Line = line;
                Type = type;
                Member = member;
            }

            /// <summary>The 1-based line number.</summary>
            public int Line { get; }

            /// <summary>The type's full metadata name (<c>Outer/Inner</c> for nested types).</summary>
            public string Type { get; }

            /// <summary>The member name, <c>*</c> for all members, or null for the type alone.</summary>
            public string? Member { get; }

            /// <inheritdoc/>
            public override string ToString() => Member is null ? Type : Type + "::" + Member;
        }
    }
}
