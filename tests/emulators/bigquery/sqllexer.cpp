#include "bigquery/sqllexer.h"

#include "bigquery/googleerror.h"

namespace tf::emu {

QString SqlToken::position() const
{
    return QStringLiteral("[%1:%2]").arg(line).arg(column);
}

bool SqlToken::isSymbol(const char *symbol) const
{
    return kind == TokenKind::Symbol && text == QLatin1String(symbol);
}

bool SqlToken::isKeyword(const char *keyword) const
{
    return kind == TokenKind::Identifier && text.compare(QLatin1String(keyword), Qt::CaseInsensitive) == 0;
}

namespace {

class Scanner
{
public:
    explicit Scanner(const QString &sql)
        : m_sql(sql)
    {
    }

    QList<SqlToken> run()
    {
        QList<SqlToken> tokens;
        for (;;) {
            skipSpaceAndComments();
            SqlToken token;
            token.line = m_line;
            token.column = m_column;
            if (atEnd()) {
                tokens.append(token);
                return tokens;
            }
            scan(token);
            tokens.append(token);
        }
    }

private:
    bool atEnd() const { return m_pos >= m_sql.size(); }
    QChar peek(int ahead = 0) const { return m_pos + ahead < m_sql.size() ? m_sql.at(m_pos + ahead) : QChar(); }

    QChar advance()
    {
        const QChar c = m_sql.at(m_pos++);
        if (c == QLatin1Char('\n')) {
            ++m_line;
            m_column = 1;
        } else {
            ++m_column;
        }
        return c;
    }

    [[noreturn]] void fail(const QString &what, int line, int column) const
    {
        throw GoogleError::invalidQuery(QStringLiteral("Syntax error: %1 at [%2:%3]").arg(what).arg(line).arg(column));
    }

    void skipSpaceAndComments()
    {
        while (!atEnd()) {
            const QChar c = peek();
            if (c.isSpace()) {
                advance();
            } else if (c == QLatin1Char('#') || (c == QLatin1Char('-') && peek(1) == QLatin1Char('-'))) {
                while (!atEnd() && peek() != QLatin1Char('\n'))
                    advance();
            } else if (c == QLatin1Char('/') && peek(1) == QLatin1Char('*')) {
                const int line = m_line, column = m_column;
                advance();
                advance();
                while (!atEnd() && !(peek() == QLatin1Char('*') && peek(1) == QLatin1Char('/')))
                    advance();
                if (atEnd())
                    fail(QStringLiteral("Unclosed comment"), line, column);
                advance();
                advance();
            } else {
                return;
            }
        }
    }

    static bool identifierStart(QChar c) { return c.isLetter() || c == QLatin1Char('_'); }
    static bool identifierPart(QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_'); }

    void scan(SqlToken &token)
    {
        const QChar c = peek();
        const QChar next = peek(1);
        const bool prefixed = (c == QLatin1Char('r') || c == QLatin1Char('R') || c == QLatin1Char('b') || c == QLatin1Char('B'));
        if (prefixed && (next == QLatin1Char('\'') || next == QLatin1Char('"') || isStringPrefix2())) {
            scanString(token);
        } else if (identifierStart(c)) {
            token.kind = TokenKind::Identifier;
            while (!atEnd() && identifierPart(peek()))
                token.text += advance();
        } else if (c == QLatin1Char('`')) {
            scanQuotedIdentifier(token);
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            scanString(token);
        } else if (c.isDigit() || (c == QLatin1Char('.') && next.isDigit())) {
            scanNumber(token);
        } else if (c == QLatin1Char('@') && peek(1) != QLatin1Char('@')) {
            advance();
            token.kind = TokenKind::NamedParameter;
            if (peek() == QLatin1Char('`')) {
                SqlToken quoted;
                scanQuotedIdentifier(quoted);
                token.text = quoted.text;
            } else {
                while (!atEnd() && identifierPart(peek()))
                    token.text += advance();
            }
            if (token.text.isEmpty())
                fail(QStringLiteral("Unexpected \"@\""), token.line, token.column);
        } else if (c == QLatin1Char('?')) {
            advance();
            token.kind = TokenKind::PositionalParameter;
            token.text = QStringLiteral("?");
        } else {
            scanSymbol(token);
        }
    }

    bool isStringPrefix2() const
    {
        // rb'...', br'...'
        const QString two = m_sql.mid(m_pos, 2).toLower();
        const QChar third = peek(2);
        return (two == QLatin1String("rb") || two == QLatin1String("br")) && (third == QLatin1Char('\'') || third == QLatin1Char('"'));
    }

    void scanQuotedIdentifier(SqlToken &token)
    {
        token.kind = TokenKind::QuotedIdentifier;
        advance();
        for (;;) {
            if (atEnd() || peek() == QLatin1Char('\n'))
                fail(QStringLiteral("Unclosed identifier literal"), token.line, token.column);
            const QChar c = advance();
            if (c == QLatin1Char('`'))
                break;
            if (c == QLatin1Char('\\') && !atEnd())
                token.text += escaped(token);
            else
                token.text += c;
        }
        if (token.text.isEmpty())
            fail(QStringLiteral("Invalid empty identifier"), token.line, token.column);
    }

    void scanString(SqlToken &token)
    {
        bool raw = false;
        bool bytes = false;
        while (peek() != QLatin1Char('\'') && peek() != QLatin1Char('"')) {
            const QChar prefix = advance().toLower();
            raw = raw || prefix == QLatin1Char('r');
            bytes = bytes || prefix == QLatin1Char('b');
        }
        const QChar quote = advance();
        const bool triple = peek() == quote && peek(1) == quote;
        if (triple) {
            advance();
            advance();
        }
        QString value;
        for (;;) {
            if (atEnd() || (!triple && peek() == QLatin1Char('\n')))
                fail(QStringLiteral("Unclosed %1 literal").arg(bytes ? QStringLiteral("bytes") : QStringLiteral("string")),
                     token.line, token.column);
            if (peek() == quote && (!triple || (peek(1) == quote && peek(2) == quote))) {
                advance();
                if (triple) {
                    advance();
                    advance();
                }
                break;
            }
            const QChar c = advance();
            if (c == QLatin1Char('\\') && !atEnd()) {
                if (raw) {
                    value += c;
                    value += advance();
                } else {
                    value += escaped(token);
                }
            } else {
                value += c;
            }
        }
        if (bytes) {
            token.kind = TokenKind::Bytes;
            // Bytes literals hold their characters as bytes; \x escapes were decoded to code points below 256.
            for (const QChar ch : value) {
                if (ch.unicode() < 256)
                    token.bytes.append(char(ch.unicode()));
                else
                    token.bytes.append(QString(ch).toUtf8());
            }
        } else {
            token.kind = TokenKind::String;
            token.text = value;
        }
    }

    QString escaped(const SqlToken &token)
    {
        const int line = m_line, column = m_column - 1;
        const QChar c = advance();
        switch (c.unicode()) {
        case 'a': return QStringLiteral("\a");
        case 'b': return QStringLiteral("\b");
        case 'f': return QStringLiteral("\f");
        case 'n': return QStringLiteral("\n");
        case 'r': return QStringLiteral("\r");
        case 't': return QStringLiteral("\t");
        case 'v': return QStringLiteral("\v");
        case '\\': case '?': case '"': case '\'': case '`':
            return QString(c);
        case 'x': case 'X':
            return QString(QChar(hexDigits(2, line, column)));
        case 'u':
            return QString(QChar(hexDigits(4, line, column)));
        case 'U':
        {
            const char32_t codePoint = char32_t(hexDigits(8, line, column));
            return QString::fromUcs4(&codePoint, 1);
        }
        default:
            if (c >= QLatin1Char('0') && c <= QLatin1Char('7')) {
                int value = c.digitValue();
                for (int i = 0; i < 2; ++i) {
                    if (atEnd() || peek() < QLatin1Char('0') || peek() > QLatin1Char('7'))
                        fail(QStringLiteral("Illegal escape sequence: Octal escape must be followed by 3 octal digits but saw: \\%1").arg(c), line, column);
                    value = value * 8 + advance().digitValue();
                }
                return QString(QChar(value));
            }
            Q_UNUSED(token);
            fail(QStringLiteral("Illegal escape sequence: \\%1").arg(c), line, column);
        }
    }

    uint hexDigits(int count, int line, int column)
    {
        uint value = 0;
        for (int i = 0; i < count; ++i) {
            if (atEnd() || !isxdigit(peek().toLatin1()))
                fail(QStringLiteral("Illegal escape sequence: Hex escape must be followed by %1 hex digits").arg(count), line, column);
            value = value * 16 + uint(QString(advance()).toUInt(nullptr, 16));
        }
        return value;
    }

    void scanNumber(SqlToken &token)
    {
        QString text;
        if (peek() == QLatin1Char('0') && (peek(1) == QLatin1Char('x') || peek(1) == QLatin1Char('X'))) {
            text += advance();
            text += advance();
            while (!atEnd() && isxdigit(peek().toLatin1()))
                text += advance();
            token.kind = TokenKind::Integer;
            token.text = text;
            return;
        }
        bool isFloat = false;
        while (!atEnd() && peek().isDigit())
            text += advance();
        if (peek() == QLatin1Char('.')) {
            isFloat = true;
            text += advance();
            while (!atEnd() && peek().isDigit())
                text += advance();
        }
        if ((peek() == QLatin1Char('e') || peek() == QLatin1Char('E'))
            && (peek(1).isDigit() || ((peek(1) == QLatin1Char('+') || peek(1) == QLatin1Char('-')) && peek(2).isDigit()))) {
            isFloat = true;
            text += advance();
            if (peek() == QLatin1Char('+') || peek() == QLatin1Char('-'))
                text += advance();
            while (!atEnd() && peek().isDigit())
                text += advance();
        }
        if (!atEnd() && identifierStart(peek()))
            fail(QStringLiteral("Missing whitespace between literal and alias"), m_line, m_column);
        token.kind = isFloat ? TokenKind::Float : TokenKind::Integer;
        token.text = text;
    }

    void scanSymbol(SqlToken &token)
    {
        static const char *const twoChar[] = {"!=", "<>", "<=", ">=", "||", "<<", ">>"};
        token.kind = TokenKind::Symbol;
        const QString two = m_sql.mid(m_pos, 2);
        for (const char *symbol : twoChar) {
            if (two == QLatin1String(symbol)) {
                advance();
                advance();
                token.text = two;
                return;
            }
        }
        static const QString single = QStringLiteral("(),.;*+-/=<>[]&|^~");
        const QChar c = peek();
        if (!single.contains(c))
            fail(QStringLiteral("Illegal input character \"%1\"").arg(c), token.line, token.column);
        token.text = QString(advance());
    }

    const QString &m_sql;
    qsizetype m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

} // namespace

QList<SqlToken> SqlLexer::tokenize(const QString &sql)
{
    return Scanner(sql).run();
}

} // namespace tf::emu
