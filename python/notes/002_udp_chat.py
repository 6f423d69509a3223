# 笔记原文：002_3ed8f3c9aec243c0.txt 第 87-117 行，「UDP简单聊天案例:」
# Source: notes 002_3ed8f3c9aec243c0.txt, lines 87-117, "UDP简单聊天案例:"
# 改动：port ready indent
# Edits: port ready indent
# 改过或加上的行，行尾标着改动名（# port、# ready ……）。
# Each line changed or added ends with its edit's name (# port, # ready, ...).
# port：笔记用 ("",6666)；这里地址是 127.0.0.1，端口来自命令行（第 1 个参数）。
# port: the notes use ("",6666); here the address is 127.0.0.1 and the port is argument 1.
# ready：开始监听后打印一行（listening on …），测试和页面上的命令等到它再启动另一端。
# ready: once listening it prints a line (listening on ...); tests and the pages' commands wait for it to start the other side.
# indent：笔记 002 丢了缩进，这里按 Python 的语法补回，别的字一个没改。
# indent: notes 002 lost their indentation; it is rebuilt as Python needs, not another character changed.
# ---
import socket
import sys  # port
def jieshou(udp_socket):
    data, remote_address = udp_socket.recvfrom(1024)
    print("收到来自%s的数据:%s" % (str(remote_address), data.decode()))
    udp_socket.sendto(data, remote_address)
def fasong(udp_socket):
    ip = input("IP地址:")
    prot = int(input("端口:"))
    book = input("输入内容")
    udp_socket.sendto(book.encode(),(ip, prot))
def print_menu():
    """菜单"""
    print("请选择功能:1.发送信息 2.接受信息 3.退出")
def main():
    """显示界面"""
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp_socket.bind(("127.0.0.1",int(sys.argv[1])))  # port
    print("listening on", udp_socket.getsockname(), flush=True)  # ready
    while True:
        print_menu()
        num = input("请选择额:")
        if num == "1":
            fasong(udp_socket)
        elif num =="2":
            jieshou(udp_socket)
        elif num == "3":
            break
        else:
            print("输入错误哦")
    udp_socket.close()
if __name__ == '__main__':
    main()
