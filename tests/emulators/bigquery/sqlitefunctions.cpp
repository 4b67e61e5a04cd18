#include "bigquery/sqlitefunctions.h"

#include "bigquery/farmfingerprint.h"
#include "bigquery/typeregistry.h"
#include "bigquery/valuecaster.h"
#include "bigquery/valuecodec.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUuid>

#include <sqlite3.h>

namespace tf::emu {

namespace {

QVariant valueOf(sqlite3_value *value)
{
    switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
        return qlonglong(sqlite3_value_int64(value));
    case SQLITE_FLOAT:
        return sqlite3_value_double(value);
    case SQLITE_TEXT:
        return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_value_text(value)), sqlite3_value_bytes(value));
    case SQLITE_BLOB:
        return QByteArray(static_cast<const char *>(sqlite3_value_blob(value)), sqlite3_value_bytes(value));
    default:
        return QVariant();
    }
}

bool isNull(const QVariant &value)
{
    return !value.isValid() || value.isNull();
}

void setResult(sqlite3_context *context, const QVariant &value)
{
    if (isNull(value)) {
        sqlite3_result_null(context);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::LongLong:
    case QMetaType::Int:
        sqlite3_result_int64(context, value.toLongLong());
        return;
    case QMetaType::Double:
        sqlite3_result_double(context, value.toDouble());
        return;
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        sqlite3_result_blob64(context, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
        return;
    }
    default: {
        const QByteArray text = value.toString().toUtf8();
        sqlite3_result_text64(context, text.constData(), sqlite3_uint64(text.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    }
}

void fail(sqlite3_context *context, const QString &message)
{
    const QByteArray text = (SqliteFunctions::errorPrefix() + message).toUtf8();
    sqlite3_result_error(context, text.constData(), int(text.size()));
}

SqlType typeArg(sqlite3_value *value)
{
    return TypeRegistry::type(int(sqlite3_value_int64(value)));
}

QByteArray bytesOf(const QVariant &value)
{
    return value.typeId() == QMetaType::QByteArray ? value.toByteArray() : value.toString().toUtf8();
}

// tf_to_json(type, value): TO_JSON_STRING.
void toJson(sqlite3_context *context, int, sqlite3_value **argv)
{
    const SqlType type = typeArg(argv[0]);
    setResult(context, ValueCodec::toJsonString(ValueCaster::normalized(valueOf(argv[1]), type), type));
}

// tf_cast(from, to, safe, value).
void castValue(sqlite3_context *context, int, sqlite3_value **argv)
{
    const SqlType from = typeArg(argv[0]);
    const SqlType to = typeArg(argv[1]);
    QString error;
    const std::optional<QVariant> cast = ValueCaster::cast(ValueCaster::normalized(valueOf(argv[3]), from), from, to, &error);
    if (cast)
        setResult(context, *cast);
    else if (sqlite3_value_int64(argv[2]))
        sqlite3_result_null(context);
    else
        fail(context, error);
}

// tf_array(array type, element...) and tf_struct(struct type, member...).
void makeArray(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    const SqlType type = typeArg(argv[0]);
    QJsonArray elements;
    for (int i = 1; i < argc; ++i)
        elements.append(ValueCodec::nested(ValueCaster::normalized(valueOf(argv[i]), type.element()), type.element()));
    setResult(context, ValueCodec::compositeText(elements));
}

void makeStruct(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    const SqlType type = typeArg(argv[0]);
    QJsonArray members;
    for (int i = 1; i < argc && i - 1 < type.members().size(); ++i) {
        const SqlType &memberType = type.members().at(i - 1).type;
        members.append(ValueCodec::nested(ValueCaster::normalized(valueOf(argv[i]), memberType), memberType));
    }
    setResult(context, ValueCodec::compositeText(members));
}

// tf_element(type, value read by json_extract/json_each from a nested form) → storage.
void element(sqlite3_context *context, int, sqlite3_value **argv)
{
    const SqlType type = typeArg(argv[0]);
    const QVariant raw = valueOf(argv[1]);
    if (isNull(raw) || type.isArray() || type.isStruct()) {
        setResult(context, raw);
        return;
    }
    QJsonValue nested;
    if (type.kind() == TypeKind::Bool)
        nested = raw.toLongLong() != 0;
    else
        nested = raw.toString();
    setResult(context, ValueCodec::fromNested(nested, type));
}

// tf_subscript(element type, array, index, mode): mode 0 OFFSET, 1 SAFE_OFFSET, 2 ORDINAL, 3 SAFE_ORDINAL.
void subscript(sqlite3_context *context, int, sqlite3_value **argv)
{
    const SqlType type = typeArg(argv[0]);
    const QVariant array = valueOf(argv[1]);
    const QVariant index = valueOf(argv[2]);
    if (isNull(array) || isNull(index)) {
        sqlite3_result_null(context);
        return;
    }
    const int mode = int(sqlite3_value_int64(argv[3]));
    const QJsonArray elements = ValueCodec::composite(array);
    const qint64 position = index.toLongLong() - (mode >= 2 ? 1 : 0);
    if (position < 0 || position >= elements.size()) {
        if (mode == 1 || mode == 3)
            sqlite3_result_null(context);
        else
            fail(context, QStringLiteral("Array index %1 is out of bounds (%2)")
                              .arg(index.toLongLong())
                              .arg(position < 0 ? QStringLiteral("underflow") : QStringLiteral("overflow")));
        return;
    }
    setResult(context, ValueCodec::fromNested(elements.at(position), type));
}

// tf_write_array(array, column): what a REPEATED column stores: [] for NULL; NULL elements refused.
void writeArray(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QVariant array = valueOf(argv[0]);
    if (isNull(array)) {
        setResult(context, QStringLiteral("[]"));
        return;
    }
    for (const QJsonValue &element : ValueCodec::composite(array)) {
        if (element.isNull()) {
            fail(context, QStringLiteral("Array cannot have a null element; error in writing field %1").arg(valueOf(argv[1]).toString()));
            return;
        }
    }
    setResult(context, array);
}

// tf_div(a, b, safe): GoogleSQL's / (always FLOAT64, division by zero is an error); tf_int_div(a, b, safe): DIV.
void divide(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QVariant a = valueOf(argv[0]);
    const QVariant b = valueOf(argv[1]);
    if (isNull(a) || isNull(b)) {
        sqlite3_result_null(context);
        return;
    }
    if (b.toDouble() == 0) {
        if (sqlite3_value_int64(argv[2]))
            sqlite3_result_null(context);
        else
            fail(context, QStringLiteral("division by zero: %1 / %2").arg(a.toString(), b.toString()));
        return;
    }
    sqlite3_result_double(context, a.toDouble() / b.toDouble());
}

void integerDivide(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QVariant a = valueOf(argv[0]);
    const QVariant b = valueOf(argv[1]);
    if (isNull(a) || isNull(b)) {
        sqlite3_result_null(context);
        return;
    }
    if (b.toLongLong() == 0) {
        if (sqlite3_value_int64(argv[2]))
            sqlite3_result_null(context);
        else
            fail(context, QStringLiteral("division by zero: %1 / %2").arg(a.toString(), b.toString()));
        return;
    }
    sqlite3_result_int64(context, a.toLongLong() / b.toLongLong());
}

// tf_hash(algorithm, value): SHA256, SHA1, SHA512, MD5 of the UTF-8 text or the bytes.
void hash(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QVariant value = valueOf(argv[1]);
    if (isNull(value)) {
        sqlite3_result_null(context);
        return;
    }
    const QString algorithm = valueOf(argv[0]).toString();
    const QCryptographicHash::Algorithm which = algorithm == QLatin1String("MD5")  ? QCryptographicHash::Md5
                                               : algorithm == QLatin1String("SHA1") ? QCryptographicHash::Sha1
                                               : algorithm == QLatin1String("SHA512") ? QCryptographicHash::Sha512
                                                                                      : QCryptographicHash::Sha256;
    setResult(context, QCryptographicHash::hash(bytesOf(value), which));
}

void farmFingerprint(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QVariant value = valueOf(argv[0]);
    if (isNull(value))
        sqlite3_result_null(context);
    else
        sqlite3_result_int64(context, FarmFingerprint::of(bytesOf(value)));
}

// tf_codec(name, value, safe): TO_BASE64, FROM_BASE64, TO_HEX, FROM_HEX, LOWER, UPPER (Unicode-aware, unlike SQLite's).
void codec(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QString name = valueOf(argv[0]).toString();
    const QVariant value = valueOf(argv[1]);
    const bool safe = sqlite3_value_int64(argv[2]) != 0;
    if (isNull(value)) {
        sqlite3_result_null(context);
        return;
    }
    if (name == QLatin1String("TO_BASE64")) {
        setResult(context, QString::fromLatin1(bytesOf(value).toBase64()));
    } else if (name == QLatin1String("TO_HEX")) {
        setResult(context, QString::fromLatin1(bytesOf(value).toHex()));
    } else if (name == QLatin1String("FROM_BASE64")) {
        const QByteArray::FromBase64Result decoded =
            QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            setResult(context, *decoded);
        else if (safe)
            sqlite3_result_null(context);
        else
            fail(context, QStringLiteral("Failed to decode invalid base64 string \"%1\"").arg(value.toString()));
    } else if (name == QLatin1String("FROM_HEX")) {
        static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]*$"));
        QString text = value.toString();
        if (!hex.match(text).hasMatch()) {
            if (safe)
                sqlite3_result_null(context);
            else
                fail(context, QStringLiteral("Failed to decode invalid hexadecimal string due to character at offset 0: %1").arg(text));
            return;
        }
        if (text.size() % 2)
            text.prepend(QLatin1Char('0'));
        setResult(context, QByteArray::fromHex(text.toLatin1()));
    } else if (name == QLatin1String("LOWER")) {
        setResult(context, value.typeId() == QMetaType::QByteArray ? QVariant(value.toByteArray().toLower()) : QVariant(value.toString().toLower()));
    } else if (name == QLatin1String("UPPER")) {
        setResult(context, value.typeId() == QMetaType::QByteArray ? QVariant(value.toByteArray().toUpper()) : QVariant(value.toString().toUpper()));
    } else {
        fail(context, QStringLiteral("unknown codec %1").arg(name));
    }
}

// JSONPath of the JSON functions: $, .name, ."name", ['name'], ["name"], [index].
std::optional<QJsonValue> walk(const QJsonValue &root, const QString &path, bool *validPath)
{
    static const QRegularExpression step(QStringLiteral(
        "^(?:\\.([A-Za-z_][A-Za-z0-9_]*)|\\.\"([^\"]*)\"|\\['([^']*)'\\]|\\[\"([^\"]*)\"\\]|\\[(\\d+)\\])"));
    *validPath = path.startsWith(QLatin1Char('$'));
    if (!*validPath)
        return std::nullopt;
    QJsonValue current = root;
    QString rest = path.mid(1);
    while (!rest.isEmpty()) {
        const QRegularExpressionMatch m = step.match(rest);
        if (!m.hasMatch()) {
            *validPath = false;
            return std::nullopt;
        }
        rest = rest.mid(m.capturedLength());
        if (!m.captured(5).isEmpty()) {
            const qsizetype index = m.captured(5).toLongLong();
            if (!current.isArray() || index >= current.toArray().size())
                return std::nullopt;
            current = current.toArray().at(index);
        } else {
            QString key;
            for (int i = 1; i <= 4 && key.isEmpty(); ++i)
                key = m.captured(i);
            if (!current.isObject() || !current.toObject().contains(key))
                return std::nullopt;
            current = current.toObject().value(key);
        }
    }
    return current;
}

// tf_json(mode, json text, path): mode 0 JSON_QUERY (JSON text), 1 JSON_VALUE (the scalar as STRING).
void jsonPath(sqlite3_context *context, int, sqlite3_value **argv)
{
    const QVariant text = valueOf(argv[1]);
    const QVariant path = valueOf(argv[2]);
    if (isNull(text) || isNull(path)) {
        sqlite3_result_null(context);
        return;
    }
    const QJsonDocument document = QJsonDocument::fromJson("[" + text.toString().toUtf8() + "]");
    if (!document.isArray()) {
        sqlite3_result_null(context); // JSON_VALUE/JSON_QUERY on a STRING that is not JSON give NULL
        return;
    }
    bool validPath = true;
    const std::optional<QJsonValue> found = walk(document.array().at(0), path.toString(), &validPath);
    if (!validPath) {
        fail(context, QStringLiteral("Invalid JSONPath input string: %1").arg(path.toString()));
        return;
    }
    if (!found || found->isNull()) {
        sqlite3_result_null(context);
        return;
    }
    if (sqlite3_value_int64(argv[0]) == 0) {
        const QByteArray wrapped = QJsonDocument(QJsonArray{*found}).toJson(QJsonDocument::Compact);
        setResult(context, QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2)));
        return;
    }
    if (found->isString()) {
        setResult(context, found->toString());
    } else if (found->isBool() || found->isDouble()) {
        const QByteArray wrapped = QJsonDocument(QJsonArray{*found}).toJson(QJsonDocument::Compact);
        setResult(context, QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2)));
    } else {
        sqlite3_result_null(context); // objects and arrays are not scalars
    }
}

// tf_regexp_contains(text, pattern).
void regexpContains(sqlite3_context *context, int, sqlite3_value **argv)
{
    static QHash<QString, QRegularExpression> cache;
    const QVariant text = valueOf(argv[0]);
    const QVariant pattern = valueOf(argv[1]);
    if (isNull(text) || isNull(pattern)) {
        sqlite3_result_null(context);
        return;
    }
    auto found = cache.find(pattern.toString());
    if (found == cache.end())
        found = cache.insert(pattern.toString(), QRegularExpression(pattern.toString()));
    if (!found->isValid()) {
        fail(context, QStringLiteral("Cannot parse regular expression: %1").arg(found->errorString()));
        return;
    }
    sqlite3_result_int64(context, found->match(text.toString()).hasMatch() ? 1 : 0);
}

void generateUuid(sqlite3_context *context, int, sqlite3_value **)
{
    setResult(context, QUuid::createUuid().toString(QUuid::WithoutBraces));
}

struct Registration {
    const char *name;
    int arguments; // -1: any number
    bool deterministic;
    void (*function)(sqlite3_context *, int, sqlite3_value **);
};

} // namespace

QString SqliteFunctions::errorPrefix()
{
    return QStringLiteral("GoogleSQL: ");
}

void SqliteFunctions::install(sqlite3 *handle)
{
    static const Registration functions[] = {
        {"tf_to_json", 2, true, toJson},
        {"tf_cast", 4, true, castValue},
        {"tf_array", -1, true, makeArray},
        {"tf_struct", -1, true, makeStruct},
        {"tf_element", 2, true, element},
        {"tf_subscript", 4, true, subscript},
        {"tf_write_array", 2, true, writeArray},
        {"tf_div", 3, true, divide},
        {"tf_int_div", 3, true, integerDivide},
        {"tf_hash", 2, true, hash},
        {"tf_farm_fingerprint", 1, true, farmFingerprint},
        {"tf_codec", 3, true, codec},
        {"tf_json", 3, true, jsonPath},
        {"tf_regexp_contains", 2, true, regexpContains},
        {"tf_uuid", 0, false, generateUuid},
    };
    for (const Registration &r : functions) {
        sqlite3_create_function_v2(handle, r.name, r.arguments, SQLITE_UTF8 | (r.deterministic ? SQLITE_DETERMINISTIC : 0),
                                   nullptr, r.function, nullptr, nullptr, nullptr);
    }
}

} // namespace tf::emu
