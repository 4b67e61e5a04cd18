#include <QApplication>
#include <QLabel>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Truth Forge Sync"));
    QLabel window(QStringLiteral("Truth Forge Sync"));
    window.show();
    return QApplication::exec();
}
