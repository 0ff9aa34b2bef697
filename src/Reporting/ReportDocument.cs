using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepRunner.Reporting;

/// <summary>One piece of a report; the same blocks are written as Markdown and as HTML, so the two never disagree.</summary>
public abstract record Block;

public sealed record Heading(int Level, string Text) : Block;

/// <summary>Plain text; <c>`code`</c> and <c>**bold**</c> are the only inline markup.</summary>
public sealed record Paragraph(string Text) : Block;

public sealed record BulletList(IReadOnlyList<string> Items) : Block;

public sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

/// <summary>An image by its path relative to the report file.</summary>
public sealed record Figure(string Path, string Caption) : Block;

/// <summary>A report as a list of blocks, rendered to Markdown or to a standalone HTML page.</summary>
public sealed partial class ReportDocument(string title)
{
    private readonly List<Block> _blocks = [];

    public string Title { get; } = title;
    public IReadOnlyList<Block> Blocks => _blocks;

    public void Add(Block block) => _blocks.Add(block);
    public void AddRange(IEnumerable<Block> blocks) => _blocks.AddRange(blocks);
    public void Heading(int level, string text) => Add(new Heading(level, text));
    public void Paragraph(string text) => Add(new Paragraph(text));
    public void Bullets(IEnumerable<string> items) => Add(new BulletList(items.ToList()));
    public void Figure(string path, string caption) => Add(new Figure(path, caption));

    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows) => Add(new Table(header, rows.ToList()));

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("# " + Title).AppendLine();
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case Heading h:
                    text.AppendLine(new string('#', h.Level + 1) + " " + h.Text);
                    break;
                case Paragraph p:
                    text.AppendLine(p.Text);
                    break;
                case BulletList list:
                    foreach (var item in list.Items) text.AppendLine("- " + item);
                    break;
                case Table table:
                    text.AppendLine("| " + string.Join(" | ", table.Header.Select(MarkdownCell)) + " |");
                    text.AppendLine("|" + string.Concat(table.Header.Select(_ => "---|")));
                    foreach (var row in table.Rows) text.AppendLine("| " + string.Join(" | ", row.Select(MarkdownCell)) + " |");
                    break;
                case Figure figure:
                    text.AppendLine($"![{figure.Caption}]({figure.Path})").AppendLine().AppendLine($"*{figure.Caption}*");
                    break;
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{WebUtility.HtmlEncode(Title)}</title>");
        // Inline style only: the page opens from disk with its figures folder and nothing else.
        html.AppendLine("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}" +
                        "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}" +
                        "th{background:#eee}td:first-child,th:first-child{text-align:left}figure{margin:1em 0}" +
                        "img{max-width:100%;border:1px solid #ddd}figcaption{font-style:italic;color:#444}code{background:#f3f3f3}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine($"<h1>{WebUtility.HtmlEncode(Title)}</h1>");
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case Heading h:
                    html.AppendLine($"<h{h.Level + 1}>{Inline(h.Text)}</h{h.Level + 1}>");
                    break;
                case Paragraph p:
                    html.AppendLine($"<p>{Inline(p.Text)}</p>");
                    break;
                case BulletList list:
                    html.AppendLine("<ul>" + string.Concat(list.Items.Select(i => $"<li>{Inline(i)}</li>")) + "</ul>");
                    break;
                case Table table:
                    html.AppendLine("<table><thead><tr>" + string.Concat(table.Header.Select(c => $"<th>{Inline(c)}</th>")) + "</tr></thead><tbody>");
                    foreach (var row in table.Rows) html.AppendLine("<tr>" + string.Concat(row.Select(c => $"<td>{Inline(c)}</td>")) + "</tr>");
                    html.AppendLine("</tbody></table>");
                    break;
                case Figure figure:
                    html.AppendLine($"<figure><img src=\"{WebUtility.HtmlEncode(figure.Path)}\" alt=\"{WebUtility.HtmlEncode(figure.Caption)}\">" +
                                    $"<figcaption>{Inline(figure.Caption)}</figcaption></figure>");
                    break;
            }
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static string MarkdownCell(string cell) => cell.Replace("|", "\\|").ReplaceLineEndings(" ");

    private static string Inline(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        encoded = CodeSpan().Replace(encoded, "<code>$1</code>");
        return BoldSpan().Replace(encoded, "<strong>$1</strong>");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldSpan();
}
