# 笔记原文：002_3ed8f3c9aec243c0.txt 第 152-170 行，「TCP客户端:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 152-170, "TCP客户端:"
# 改动：port flush indent
# Edits: port flush indent
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("192.168.113.146", 10050)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("192.168.113.146", 10050); here the address is 127.0.0.1 and the port is argument 1.
# flush：print 加了 flush=True，输出经过管道时也马上出现。
# flush: prints get flush=True, so their lines show at once through a pipe too.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# ---
import socket
import sys  # port
def main():
    # 创建客户端套接字
    tcp_socket = socket.socket(socket.AF_INET,socket.SOCK_STREAM)
    # connect填写远程服务器ip
    tcp_socket.connect(("127.0.0.1", int(sys.argv[1])))  # port
    while True:
        data = input("输入:")
        tcp_socket.send(data.encode("GBK"))
        recv_data = tcp_socket.recv(10)
        # tcp需要判断服务器是否关闭
        if recv_data:
            print("收到数据" + recv_data.decode("GBK"), flush=True)
        else:
            print("对方关闭了链接", flush=True)
            break
    tcp_socket.close()
if __name__ == '__main__':
    main()
