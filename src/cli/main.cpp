#include "core/fieldregistry.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tfsync"));
    QTextStream(stdout) << "tfsync: " << tf::FieldRegistry::count() << " contract fields\n";
    return 0;
}
