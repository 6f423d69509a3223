# 笔记原文：002_3ed8f3c9aec243c0.txt 第 74-85 行，「UDP服务端:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 74-85, "UDP服务端:"
# 改动：port ready indent fix
# Edits: port ready indent fix
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记绑定 ("", 8080)，回复发往 ("192.168.113.119", 10086)；这里绑定 127.0.0.1 上第 1 个参数的端口，
# port: the notes bind ("", 8080) and reply to ("192.168.113.119", 10086); here it binds 127.0.0.1 on the port of argument 1
#   回复发往 127.0.0.1 上第 2 个参数的端口。
#   and replies to 127.0.0.1 on the port of argument 2.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# fix：笔记的 `def main()` 少了冒号，Python 拒绝整个文件；这里补上。
# fix: the notes' `def main()` lacks its colon, and Python refuses the whole file; it is added.
# ---
import socket
import sys  # port
def main():  # fix
    upd_socket = socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
    upd_socket.bind(("127.0.0.1", int(sys.argv[1])))  # port
    print("listening on", upd_socket.getsockname(), flush=True)  # ready
    while True:
        data,adder = upd_socket.recvfrom(1024)
        print("%s" % str(adder))
        print("%s" % data.decode())
        nook = input()
        upd_socket.sendto(nook.encode(),("127.0.0.1", int(sys.argv[2])))  # port
if __name__ == '__main__':
    main()
