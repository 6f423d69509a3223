# 笔记原文：002_3ed8f3c9aec243c0.txt 第 56-72 行，「UDP客户端:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 56-72, "UDP客户端:"
# 改动：port ready indent
# Edits: port ready indent
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记绑定 ("", 10086)，发往 ("192.168.113.85",8081)（笔记自己的服务端在 8080，不在 8081）；
# port: the notes bind ("", 10086) and send to ("192.168.113.85",8081) (their own server is on 8080, not 8081);
#   这里绑定 127.0.0.1 上第 1 个参数的端口，发往 127.0.0.1 上第 2 个参数的端口。
#   here it binds 127.0.0.1 on the port of argument 1 and sends to 127.0.0.1 on the port of argument 2.
# ready：绑定端口后打印一行（bound to …），测试等到它再启动另一端。
# ready: once bound it prints a line (bound to ...); tests wait for it to start the other side.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# ---
import socket
import sys  # port
def main():
    upd_socket = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
    upd_socket.bind(("127.0.0.1", int(sys.argv[1])))  # port
    print("bound to", upd_socket.getsockname(), flush=True)  # ready
    book = input()
    upd_socket.sendto(book.encode(),("127.0.0.1",int(sys.argv[2])))  # port
    while True:
        data,adder = upd_socket.recvfrom(1024)
        if data:
            print("%s" % str(adder))
            print("%s" % data.decode())
        else:
            print("服务器已关闭")
            break
    upd_socket.close()
if __name__ == '__main__':
    main()
