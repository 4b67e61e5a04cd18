#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace tf::emu {

enum class TokenKind {
    End,
    Identifier,       // unquoted; keywords are identifiers the parser recognises
    QuotedIdentifier, // `...`, may hold a dotted path (`project.dataset.table`)
    String,           // text is the decoded value
    Bytes,            // bytes is the decoded value
    Integer,
    Float,
    NamedParameter,   // @name; text is the name
    PositionalParameter, // ?
    Symbol,           // ( ) , . ; * + - / = != <> < <= > >= || [ ] & | ^ ~ << >>
};

struct SqlToken {
    TokenKind kind = TokenKind::End;
    QString text;
    QByteArray bytes;
    int line = 1;
    int column = 1;

    QString position() const; // "[line:column]" as GoogleSQL's messages cite it
    bool isSymbol(const char *symbol) const;
    bool isKeyword(const char *keyword) const; // an unquoted identifier, any case
};

// Splits GoogleSQL text into tokens (lexical structure doc: quoted identifiers, single/double/triple-quoted and raw
// strings with escapes, bytes literals, numbers, @parameters, comments). Throws GoogleError invalidQuery on text
// that is not a token ("Syntax error: Unclosed string literal at [1:8]").
class SqlLexer
{
public:
    static QList<SqlToken> tokenize(const QString &sql);
};

} // namespace tf::emu
